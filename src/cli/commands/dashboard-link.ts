import { formatLedgerTime } from '../../domain/ledger/period.js';
import { findLedgerDistrictByCode } from '../../db/repos/ledger-scope.js';
import { createSignedLinks } from '../../http/signed-links.js';
import { type DashboardScope, dashboardUrl, tokenOfUrl } from '../../http/routes/dashboard-scope.js';
import { parseFlags } from '../args.js';
import { type Command, UsageError } from '../context.js';
import { schoolFlag } from './export-args.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

export const dashboardLinkCommand: Command = {
  path: ['dashboard', 'link'],
  summary: '生成看板数据接口的签名链接（学校或区县教育局，默认 30 天有效）',
  usage: 'xiaoan dashboard link (--school <学校代码> | --district <区县代码>) [--days 30]',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(args, {
      school: { type: 'string' },
      district: { type: 'string' },
      days: { type: 'string' },
    });
    if (Boolean(values.school) === Boolean(values.district)) {
      throw new UsageError('请用 --school 或 --district 指定一个范围（二选一）');
    }
    const days = Number(values.days ?? '30');
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      throw new UsageError(`--days 应为 1 到 ${MAX_DAYS} 之间的整数，收到「${values.days}」`);
    }
    const { db } = await ctx.database();
    let scope: DashboardScope;
    let name: string;
    if (values.school) {
      const school = await schoolFlag(db, values.school);
      scope = { scope: 'school', id: school.id, role: 'principal' };
      name = school.name;
    } else {
      const district = await findLedgerDistrictByCode(db, values.district!);
      if (!district) throw new UsageError(`找不到区县代码「${values.district}」`);
      scope = { scope: 'district', id: district.id, role: 'bureau' };
      name = district.name;
    }
    const expiresAt = new Date(Date.now() + days * DAY_MS);
    const links = createSignedLinks(ctx.secret(), ctx.config.publicUrl);
    const url = dashboardUrl(links, scope, expiresAt);
    const base = url.slice(0, url.lastIndexOf('/'));
    ctx.io.out(url);
    ctx.io.out(`范围：${name}；有效期 ${days} 天（至 ${formatLedgerTime(expiresAt, ctx.config.TZ)}）`);
    ctx.io.out(`数据接口：${base}/api/ledger?token=${tokenOfUrl(url)}`);
    ctx.io.out(
      '另有 api/monthly?month=YYYY-MM、api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD；令牌也可放在请求头 Authorization: Bearer',
    );
    return 0;
  },
};
