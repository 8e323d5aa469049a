import { findLetter, letters } from '../../../bot-flows/letters/index.js';
import { findSchoolByCode } from '../../db/repos/org.js';
import { campaignsOfSchool, classesOfSchool } from '../../db/repos/receipts.js';
import { campaignClassCounts } from '../../db/repos/receipts-progress.js';
import { parseDeadline } from '../../domain/dates/index.js';
import { resolveClassNames } from '../../domain/receipts/campaign-command.js';
import { letterNames } from '../../domain/receipts/letter-match.js';
import { compareClassNames } from '../../domain/roster/class-name.js';
import { countText } from '../../domain/receipts/stats.js';
import { formatDeadline } from '../../flows/receipts/format.js';
import { type StartCampaignResult, startCampaign, startedText } from '../../flows/receipts/start.js';
import { createSignedLinks } from '../../http/signed-links.js';
import { parseFlags } from '../args.js';
import { type Command, UsageError } from '../context.js';

/** Rolls the transaction back with the refusal, so nothing of a refused campaign is left behind. */
class Refused extends Error {}

export const campaignCreateCommand: Command = {
  path: ['campaign', 'create'],
  summary: '发起家长回执：把告知书卡片发到各班家长群',
  usage:
    'xiaoan campaign create --school <学校代码> --letter <告知书，如 防溺水> --deadline <截止日期，如 2026-06-30> [--class <班级>]…（不写 --class 则发给全校）',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(
      args,
      {
        school: { type: 'string' },
        letter: { type: 'string' },
        deadline: { type: 'string' },
        class: { type: 'string', multiple: true },
      },
      ['school', 'letter', 'deadline'],
    );
    const letter = findLetter(values.letter!);
    if (!letter) throw new UsageError(`没有找到告知书「${values.letter}」，可以发起的有：${letterNames(letters)}`);
    const { db } = await ctx.database();
    const school = await findSchoolByCode(db, values.school!);
    if (!school) throw new UsageError(`找不到学校代码「${values.school}」`);
    const now = new Date();
    const deadline = parseDeadline(values.deadline!, now, { timeZone: school.timezone });
    if (!deadline.ok) throw new UsageError(deadline.reason);
    const known = (await classesOfSchool(db, school.id)).map((klass) => klass.name);
    let classNames = [...known].sort(compareClassNames);
    if (values.class && values.class.length > 0) {
      const resolved = resolveClassNames(values.class, known);
      if (!resolved.ok) throw new UsageError(resolved.error);
      classNames = resolved.value;
    }
    let result: StartCampaignResult;
    try {
      result = await db.transaction(async (tx) => {
        const started = await startCampaign(tx, {
          schoolId: school.id,
          timezone: school.timezone,
          letter,
          deadline: deadline.at,
          classNames,
          createdBy: null,
          now,
          links: createSignedLinks(ctx.secret(), ctx.config.publicUrl),
        });
        if (!started.ok) throw new Refused(started.reason);
        return started;
      });
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      ctx.io.err(`未发起：${error.message}`);
      return 1;
    }
    if (!result.ok) return 1;
    ctx.io.out(startedText(letter, result));
    ctx.io.out(
      `回执编号：${result.campaignId}（导出：xiaoan export receipts --campaign ${result.campaignId} --out 回执.xlsx）`,
    );
    return 0;
  },
};

export const campaignListCommand: Command = {
  path: ['campaign', 'list'],
  summary: '列出学校的家长回执及确认进度',
  usage: 'xiaoan campaign list --school <学校代码>',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(args, { school: { type: 'string' } }, ['school']);
    const { db } = await ctx.database();
    const school = await findSchoolByCode(db, values.school!);
    if (!school) throw new UsageError(`找不到学校代码「${values.school}」`);
    const campaigns = await campaignsOfSchool(db, school.id);
    if (campaigns.length === 0) {
      ctx.io.out(`${school.name} 还没有发起过回执`);
      return 0;
    }
    const counts = await campaignClassCounts(
      db,
      campaigns.map((c) => c.id),
    );
    for (const campaign of campaigns) {
      const rows = counts.filter((row) => row.campaignId === campaign.id);
      const total = {
        studentCount: rows.reduce((sum, row) => sum + row.studentCount, 0),
        confirmedCount: rows.reduce((sum, row) => sum + Math.min(row.confirmedCount, row.studentCount), 0),
      };
      const state = campaign.status === 'open' && campaign.deadline > new Date() ? '进行中' : '已截止';
      ctx.io.out(
        `${campaign.id}  《${campaign.title}》  截止 ${formatDeadline(campaign.deadline, campaign.timezone)}  ${state}  ${rows.length} 个班  ${countText(total)}`,
      );
    }
    return 0;
  },
};
