import { zonedTimeToUtc } from '../../domain/calendar/zoned.js';
import { addDays } from '../../domain/calendar/civil-date.js';
import { DEFAULT_CATEGORIES } from '../../domain/ledger/labels.js';
import { monthlySummary } from '../../domain/ledger/monthly.js';
import { dayPeriod, monthPeriod } from '../../domain/ledger/period.js';
import { campaignStatsMarkdown, monthlySummaryMarkdown } from '../../domain/ledger/report-tables.js';
import { campaignStats } from '../../domain/ledger/stats.js';
import { loadHazardFacts } from '../../db/repos/ledger-facts.js';
import { loadLedger } from '../../db/repos/ledger-records.js';
import { oneOf, parseFlags } from '../args.js';
import { type Command, UsageError } from '../context.js';
import { dateFlag, dateRange, monthFlag, schoolFlag, xlsxPath } from './export-args.js';

const FORMATS = ['md', 'json'] as const;

export const exportLedgerCommand: Command = {
  path: ['export', 'ledger'],
  summary: '导出隐患台账（xlsx：隐患台账 + 处理记录两张表，可按发现日期筛选）',
  usage: 'xiaoan export ledger --school <学校代码> [--from YYYY-MM-DD] [--to YYYY-MM-DD] --out <文件.xlsx>',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(
      args,
      { school: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
      ['school', 'out'],
    );
    const range = dateRange(values.from, values.to);
    const out = xlsxPath(values.out!);
    const { db } = await ctx.database();
    const school = await schoolFlag(db, values.school!);
    const tz = school.timezone;
    const data = await loadLedger(db, school.id, {
      ...(range.from ? { start: zonedTimeToUtc(range.from, 0, tz) } : {}),
      ...(range.to ? { end: zonedTimeToUtc(addDays(range.to, 1), 0, tz) } : {}),
    });
    const span = range.from || range.to ? `（${range.from ?? '最早'} 至 ${range.to ?? '今'}）` : '';
    const { buildLedgerWorkbook } = await import('../../export/ledger-workbook.node.js');
    const workbook = buildLedgerWorkbook(data, {
      title: `${school.name} 隐患台账${span}`,
      timeZone: tz,
      categories: DEFAULT_CATEGORIES,
      names: data.names,
    });
    await workbook.xlsx.writeFile(out);
    const events = [...data.events.values()].reduce((total, list) => total + list.length, 0);
    ctx.io.out(
      `已导出 ${school.name} 隐患台账${span}：${out}（隐患 ${data.hazards.length} 条，处理记录 ${events} 条）`,
    );
    return 0;
  },
};

export const exportMonthlyCommand: Command = {
  path: ['export', 'monthly'],
  summary: '隐患月报：新增、上月结转、销号、未销号、逾期、销号率，按类别和等级（打印 Markdown/JSON，可导出 xlsx）',
  usage: 'xiaoan export monthly --school <学校代码> --month YYYY-MM [--out <文件.xlsx>] [--format md|json]',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(
      args,
      { school: { type: 'string' }, month: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } },
      ['school', 'month'],
    );
    const month = monthFlag(values.month!);
    const format = oneOf('format', values.format ?? 'md', FORMATS);
    const out = values.out ? xlsxPath(values.out) : null;
    const { db } = await ctx.database();
    const school = await schoolFlag(db, values.school!);
    const now = new Date();
    const period = monthPeriod(month, school.timezone);
    if (period.start.getTime() > now.getTime()) throw new UsageError(`${month} 还没有开始，无法生成月报`);
    const facts = (await loadHazardFacts(db, [school.id], period)).get(school.id) ?? [];
    const summary = monthlySummary(facts, month, school.timezone, now);
    if (format === 'json') {
      ctx.io.out(JSON.stringify({ school: { code: school.code, name: school.name }, ...summary }, null, 2));
    } else {
      ctx.io.out(monthlySummaryMarkdown(summary, school.name));
    }
    if (out) {
      const { buildMonthlyWorkbook } = await import('../../export/report-workbooks.node.js');
      await buildMonthlyWorkbook(summary, school.name).xlsx.writeFile(out);
      // Keep stdout parseable JSON; the confirmation goes to stderr then.
      (format === 'json' ? ctx.io.err : ctx.io.out)(`已导出月报：${out}`);
    }
    return 0;
  },
};

export const exportStatsCommand: Command = {
  path: ['export', 'stats'],
  summary: '专项整治统计：期间发现、已整改、已销号、未销号，按类别和等级（打印 Markdown/JSON，可导出 xlsx）',
  usage:
    'xiaoan export stats --school <学校代码> --from YYYY-MM-DD --to YYYY-MM-DD [--out <文件.xlsx>] [--format md|json]',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(
      args,
      {
        school: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
      },
      ['school', 'from', 'to'],
    );
    const from = dateFlag('from', values.from)!;
    const to = dateFlag('to', values.to)!;
    dateRange(from, to);
    const format = oneOf('format', values.format ?? 'md', FORMATS);
    const out = values.out ? xlsxPath(values.out) : null;
    const { db } = await ctx.database();
    const school = await schoolFlag(db, values.school!);
    const now = new Date();
    const period = dayPeriod(from, to, school.timezone);
    if (period.start.getTime() > now.getTime()) throw new UsageError(`统计期从 ${from} 开始，还没有到`);
    const facts = (await loadHazardFacts(db, [school.id], period)).get(school.id) ?? [];
    const stats = campaignStats(facts, { from, to }, school.timezone, now);
    if (format === 'json') {
      ctx.io.out(JSON.stringify({ school: { code: school.code, name: school.name }, ...stats }, null, 2));
    } else {
      ctx.io.out(campaignStatsMarkdown(stats, school.name));
    }
    if (out) {
      const { buildStatsWorkbook } = await import('../../export/report-workbooks.node.js');
      await buildStatsWorkbook(stats, school.name).xlsx.writeFile(out);
      (format === 'json' ? ctx.io.err : ctx.io.out)(`已导出统计：${out}`);
    }
    return 0;
  },
};
