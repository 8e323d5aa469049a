import { resolve } from 'node:path';
import { findSchoolByCode } from '../../db/repos/org.js';
import { importRoster, type RosterImportSummary } from '../../db/repos/roster.js';
import type { RosterProblem } from '../../domain/roster/parse.js';
import { parseFlags } from '../args.js';
import { type Command, type CommandIo, UsageError } from '../context.js';
import { readRosterFile } from './roster-file.node.js';

/**
 * `xiaoan import-roster --school <code> <file>`: reads an .xlsx/.csv roster (template:
 * bot-flows/roster-template.csv), reports every row it cannot use with its line and reason, and writes
 * classes, students, guardians and links in one transaction — a file that cannot be used changes nothing.
 */

const MAX_PROBLEM_LINES = 100;
const PROGRESS_MIN_ROWS = 200;
const BAR_WIDTH = 24;

function problemLine(problem: RosterProblem): string {
  const sheet = problem.sheet ? `工作表“${problem.sheet}”` : '';
  const where = problem.line > 0 ? `${sheet}第 ${problem.line} 行` : sheet || '文件';
  const label = problem.severity === 'warning' ? '提醒' : problem.severity === 'fatal' ? '无法导入' : '跳过';
  return `[${label}] ${where}：${problem.reason}`;
}

function progressBar(io: CommandIo) {
  let last = -1;
  return {
    update(done: number, total: number) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === last) return;
      last = percent;
      const filled = Math.round((percent / 100) * BAR_WIDTH);
      io.stdout.write(`\r导入中 [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${percent}% ${done}/${total}`);
    },
    end() {
      if (last >= 0) io.stdout.write('\n');
    },
  };
}

export function summaryLines(schoolName: string, summary: RosterImportSummary, skipped: number): string[] {
  const counts = (c: { created: number; updated: number; unchanged: number }) =>
    `新增 ${c.created}，更新 ${c.updated}，未变 ${c.unchanged}`;
  const lines = [
    `导入完成：${schoolName}`,
    `班级：新增 ${summary.classes.created}，已有 ${summary.classes.existing}`,
    `学生：${counts(summary.students)}`,
    `家长：${counts(summary.guardians)}`,
    `家长与学生的关联：${counts(summary.links)}`,
    `跳过：${skipped} 行${skipped > 0 ? '（原因见上）' : ''}`,
  ];
  if (summary.notInFile > 0) {
    lines.push(
      `系统中有 ${summary.notInFile} 名学生不在这次的名单里（所在班级在名单中），已保留未删除；如已转出请联系管理员处理。`,
    );
  }
  return lines;
}

export const importRosterCommand: Command = {
  path: ['import-roster'],
  summary: '导入学生与家长名单（.xlsx 或 .csv，模板见 bot-flows/roster-template.csv）',
  usage: 'xiaoan import-roster --school <学校代码> <名单文件.xlsx|.csv>',
  usesDatabase: true,
  async run(ctx, args) {
    const { values, positionals } = parseFlags(args, { school: { type: 'string' } }, ['school']);
    if (positionals.length !== 1) throw new UsageError('请给出一个名单文件');
    const path = resolve(positionals[0]!);
    const { db } = await ctx.database();
    const school = await findSchoolByCode(db, values.school!);
    if (!school) throw new UsageError(`找不到学校代码「${values.school}」`);

    const parsed = await readRosterFile(path);
    for (const notice of parsed.notices) ctx.io.out(notice);
    const shown = parsed.problems.slice(0, MAX_PROBLEM_LINES);
    for (const problem of shown) (problem.severity === 'warning' ? ctx.io.out : ctx.io.err)(problemLine(problem));
    if (parsed.problems.length > shown.length)
      ctx.io.err(`……另有 ${parsed.problems.length - shown.length} 条问题未列出`);
    if (parsed.fatal) {
      ctx.io.err('名单未导入，数据库没有任何改动。请按上面的提示修改文件后重新导入。');
      return 1;
    }
    if (parsed.rows.length === 0) {
      ctx.io.err('文件里没有可导入的学生，数据库没有任何改动。');
      return 1;
    }

    const bar = ctx.io.isTty && parsed.rows.length >= PROGRESS_MIN_ROWS ? progressBar(ctx.io) : null;
    const summary = await importRoster(db, {
      schoolId: school.id,
      rows: parsed.rows,
      guardians: parsed.guardians,
      classNames: parsed.classNames,
      secret: ctx.secret(),
      ...(bar ? { onProgress: bar.update } : {}),
    });
    bar?.end();
    const skipped = new Set(
      parsed.problems.filter((p) => p.severity === 'error').map((p) => `${p.sheet ?? ''}|${p.line}`),
    ).size;
    for (const line of summaryLines(school.name, summary, skipped)) ctx.io.out(line);
    return 0;
  },
};
