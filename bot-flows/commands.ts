import { z } from 'zod';
import {
  type CommandCatalog,
  COMMAND_NAMES,
  KEYWORD_FIELDS,
  type KeywordField,
} from '../src/domain/commands/catalog.js';

const words = z.array(z.string().trim().min(1)).min(1);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

const commandSpec = z
  .strictObject({
    name: z.enum(COMMAND_NAMES),
    aliases: words,
    usage: z.string().min(1),
    passAliases: z.array(z.string().min(1)).optional(),
    reasonAliases: z.array(z.string().min(1)).optional(),
  })
  .refine(
    (spec) =>
      [...(spec.passAliases ?? []), ...(spec.reasonAliases ?? [])].every((alias) => spec.aliases.includes(alias)),
    { message: 'passAliases and reasonAliases must be aliases of the same command' },
  );

export const commandCatalogSchema = z
  .strictObject({
    commands: z.array(commandSpec).min(1),
    keywords: z.strictObject(
      Object.fromEntries(KEYWORD_FIELDS.map((field) => [field, words])) as { [K in KeywordField]: typeof words },
    ),
    remindTime: clockTime,
    deadlineTime: clockTime,
  })
  .superRefine((catalog, context) => {
    const owners = new Map<string, string>();
    for (const spec of catalog.commands) {
      for (const alias of spec.aliases) {
        const key = alias.toLowerCase();
        const other = owners.get(key);
        if (other) context.addIssue({ code: 'custom', message: `alias "${alias}" used by ${other} and ${spec.name}` });
        owners.set(key, spec.name);
      }
    }
    const named = new Set(catalog.commands.map((spec) => spec.name));
    for (const name of COMMAND_NAMES) {
      if (!named.has(name)) context.addIssue({ code: 'custom', message: `command ${name} has no aliases` });
    }
  });

/**
 * Chat commands and their aliases. A command is the first word of a message after the bot mention;
 * keywords introduce its arguments. Usage lines are shown to users with every error.
 */
export const defaultCommands: CommandCatalog = {
  commands: [
    { name: 'help', aliases: ['帮助', 'help', '菜单', '?', '？', '怎么用'], usage: '帮助' },
    {
      name: 'assign',
      aliases: ['指派', '派单', '交办', '分派'],
      usage: '指派 YH-2026-0001 @张三 截止 下周五 措施 更换灭火器 资金 300元 预案 临时放置备用灭火器',
    },
    {
      name: 'fix',
      aliases: ['整改', '已整改', '整改完成', '提交整改'],
      usage: '整改 YH-2026-0001 已更换灭火器（同时发整改后照片）',
    },
    {
      name: 'verify',
      aliases: ['复查', '验收', '销号'],
      usage: '复查 YH-2026-0001 通过 ／ 复查 YH-2026-0001 退回 压力表仍在红区',
      passAliases: ['销号'],
    },
    {
      name: 'dismiss',
      aliases: ['驳回', '不属实'],
      usage: '驳回 YH-2026-0001 不属实，现场灭火器完好 ／ 驳回 YH-2026-0002 重复 YH-2026-0001',
      reasonAliases: ['不属实'],
    },
    { name: 'reopen', aliases: ['重开', '重新打开'], usage: '重开 YH-2026-0001 灭火器又被挪走了 截止 3天内' },
    { name: 'change_level', aliases: ['改级', '定级', '调级'], usage: '改级 YH-2026-0001 重大' },
    { name: 'show', aliases: ['查', '查看', '查询'], usage: '查 YH-2026-0001' },
    { name: 'mine', aliases: ['我的', '我的隐患', '我的待办'], usage: '我的' },
    { name: 'ledger', aliases: ['台账', '隐患台账'], usage: '台账' },
    { name: 'overdue', aliases: ['逾期', '超期'], usage: '逾期' },
    { name: 'remind', aliases: ['提醒'], usage: '提醒 明天上午9点 检查各楼层灭火器 ／ 提醒 @张三 周五前 交安全台账' },
    {
      name: 'receipt',
      aliases: ['回执'],
      usage: '回执 发起 防溺水 截止 6月30日 班级 三年级一班 三年级二班 ／ 回执 进度',
    },
    { name: 'bind', aliases: ['绑定'], usage: '绑定 学校代码（向学校安全员索取）' },
  ],
  keywords: {
    owner: ['责任人', '负责人', '整改责任人'],
    deadline: ['截止', '截止日期', '截止时间', '期限', '时限', '整改时限'],
    measures: ['措施', '整改措施'],
    funds: ['资金', '经费', '整改资金'],
    interimPlan: ['预案', '临时措施', '防范措施', '临时防范措施'],
    note: ['说明', '备注'],
    pass: ['通过', '合格', '同意'],
    reject: ['退回', '不通过', '不合格'],
    major: ['重大', '重大隐患'],
    general: ['一般', '一般隐患'],
    start: ['发起', '新建'],
    progress: ['进度', '统计'],
    classes: ['班级'],
    duplicate: ['重复'],
    time: ['时间'],
  },
  remindTime: '08:00',
  deadlineTime: '23:59',
};

/** Validates the command vocabulary (the default, or a district's replacement) at start-up. */
export function loadCommands(input: unknown = defaultCommands): CommandCatalog {
  return commandCatalogSchema.parse(input);
}
