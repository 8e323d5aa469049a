import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../../bot-flows/commands.js';
import { type CommandParseResult, isCommandError, parseCommand } from './parse.js';

/** Wednesday 2026-06-10 10:00 in Shanghai. */
const NOW = new Date('2026-06-10T02:00:00Z');
/** Loaded through the start-up validation, so a broken default vocabulary fails here too. */
const defaultCommands = loadCommands();
const parse = (text: string) => parseCommand(text, { catalog: defaultCommands, now: NOW });

function errorOf(result: CommandParseResult): string {
  if (!isCommandError(result)) throw new Error(`expected a usage error, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('not a command', () => {
  it.each([
    '',
    '   ',
    '二楼走廊的灭火器箱是空的',
    '整改完成了吗？',
    '查看一下三楼消防通道被堵了',
    '逾期了三天的灭火器还没换',
    '我的班级门口有积水',
    '提醒大家注意安全',
    '台账上的数字不对',
  ])('%s → null', (text) => {
    expect(parse(text)).toBeNull();
  });
});

describe('simple commands', () => {
  it.each([
    ['帮助', { name: 'help' }],
    ['help', { name: 'help' }],
    ['HELP', { name: 'help' }],
    ['？', { name: 'help' }],
    ['帮助 指派', { name: 'help', topic: '指派' }],
    ['我的', { name: 'mine' }],
    ['我的待办', { name: 'mine' }],
    ['台账', { name: 'ledger' }],
    ['逾期', { name: 'overdue' }],
    ['/台账', { name: 'ledger' }],
    ['绑定 XA-0012', { name: 'bind', schoolCode: 'XA-0012' }],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('asks for the school code', () => {
    expect(errorOf(parse('绑定'))).toContain('请写明学校代码');
  });
});

describe('codes', () => {
  it.each([
    ['查 YH-2026-0001', 'YH-2026-0001'],
    ['查 yh-2026-1', 'YH-2026-0001'],
    ['查YH-2026-12', 'YH-2026-0012'],
    ['查看 yh 2026 7', 'YH-2026-0007'],
    ['查询：YH20260003', 'YH-2026-0003'],
    ['查 ＹＨ－２０２６－５', 'YH-2026-0005'],
  ])('%s → %s', (text, code) => {
    expect(parse(text)).toEqual({ name: 'show', code });
  });

  it.each(['查', '查 12', '整改 二楼厕所的灯坏了', '复查', '驳回 不属实'])('%s asks for the code', (text) => {
    const error = errorOf(parse(text));
    expect(error).toContain('请写明隐患编号');
    expect(error).toContain('用法：');
  });
});

describe('指派', () => {
  it('reads owner, deadline, measures, funds and plan', () => {
    expect(parse('指派 yh-2026-1 @张三 截止 下周五 措施 更换灭火器 资金 300元 预案 临时放置备用灭火器')).toEqual({
      name: 'assign',
      code: 'YH-2026-0001',
      owner: { name: '张三', mentioned: true },
      deadline: { at: new Date('2026-06-19T15:59:59Z'), text: '下周五', label: '6月19日（周五）23:59' },
      measures: '更换灭火器',
      funds: '300元',
      interimPlan: '临时放置备用灭火器',
    });
  });

  it('takes a plain name, full-width colons and a Wechaty mention space', () => {
    expect(parse('指派 YH-2026-0002 李四 截止：3天内')).toMatchObject({
      owner: { name: '李四', mentioned: false },
      deadline: { text: '3天内' },
    });
    expect(parse('指派 YH-2026-0002 @王五\u2005截止 明天')).toMatchObject({ owner: { name: '王五', mentioned: true } });
  });

  it('takes the owner from the 责任人 keyword and keeps the rest as a note', () => {
    expect(parse('指派 YH-2026-0002 请尽快处理 责任人 @赵六 时限 月底前')).toMatchObject({
      owner: { name: '赵六', mentioned: true },
      note: '请尽快处理',
      deadline: { text: '月底前' },
    });
    expect(parse('指派 YH-2026-0002 @赵六 尽快 截止 明天')).toMatchObject({ note: '尽快' });
  });

  it('keeps keyword words inside a value when not standing alone', () => {
    expect(parse('指派 YH-2026-0002 @赵六 截止 明天 措施 申请专项资金更换')).toMatchObject({
      measures: '申请专项资金更换',
    });
  });

  it('leaves the deadline to the policy when absent', () => {
    const result = parse('指派 YH-2026-0002 @赵六');
    expect(result).toEqual({ name: 'assign', code: 'YH-2026-0002', owner: { name: '赵六', mentioned: true } });
  });

  it('reports missing owners and bad dates', () => {
    expect(errorOf(parse('指派 YH-2026-0002'))).toContain('请指定整改责任人');
    expect(errorOf(parse('指派 YH-2026-0002 截止 明天'))).toContain('请指定整改责任人');
    expect(errorOf(parse('指派 YH-2026-0002 @张三 截止 6月5日'))).toContain('截止日期已过');
    expect(errorOf(parse('指派 YH-2026-0002 @张三 截止 改天吧'))).toContain('看不懂日期');
  });
});

describe('整改', () => {
  it('reads the code and an optional note', () => {
    expect(parse('整改 YH-2026-0001 已更换灭火器')).toEqual({
      name: 'fix',
      code: 'YH-2026-0001',
      note: '已更换灭火器',
    });
    expect(parse('整改YH-2026-0001')).toEqual({ name: 'fix', code: 'YH-2026-0001' });
    expect(parse('整改完成 YH-2026-0001，已清理')).toEqual({ name: 'fix', code: 'YH-2026-0001', note: '已清理' });
  });
});

describe('复查 / 销号', () => {
  it('passes with an optional written reason', () => {
    expect(parse('复查 YH-2026-0001 通过')).toEqual({ name: 'verify', code: 'YH-2026-0001', verdict: 'pass' });
    expect(parse('复查 YH-2026-0001 通过 说明 现场核验已整改')).toEqual({
      name: 'verify',
      code: 'YH-2026-0001',
      verdict: 'pass',
      note: '现场核验已整改',
    });
  });

  it('reads 销号 alone as passed', () => {
    expect(parse('销号 YH-2026-0001')).toEqual({ name: 'verify', code: 'YH-2026-0001', verdict: 'pass' });
    expect(parse('销号 YH-2026-0001 说明 已核实')).toMatchObject({ verdict: 'pass', note: '已核实' });
  });

  it('rejects with a reason and an optional new deadline', () => {
    expect(parse('复查 YH-2026-0001 退回 压力表仍在红区')).toEqual({
      name: 'verify',
      code: 'YH-2026-0001',
      verdict: 'reject',
      reason: '压力表仍在红区',
    });
    expect(parse('复查 YH-2026-0001 不通过 没有照片 截止 后天')).toMatchObject({
      verdict: 'reject',
      reason: '没有照片',
      deadline: { text: '后天' },
    });
    expect(parse('复查 YH-2026-0001 退回：阀门未更换')).toMatchObject({ verdict: 'reject', reason: '阀门未更换' });
  });

  it('needs a verdict for 复查 and a reason for 退回', () => {
    expect(errorOf(parse('复查 YH-2026-0001'))).toContain('请写明复查结果');
    expect(errorOf(parse('复查 YH-2026-0001 退回'))).toContain('退回须写明原因');
  });
});

describe('驳回 / 不属实', () => {
  it('needs a reason', () => {
    expect(parse('驳回 YH-2026-0003 现场灭火器完好')).toEqual({
      name: 'dismiss',
      code: 'YH-2026-0003',
      reason: '现场灭火器完好',
    });
    expect(errorOf(parse('驳回 YH-2026-0003'))).toContain('请写明驳回原因');
    expect(errorOf(parse('不属实 YH-2026-0003'))).toContain('请写明驳回原因');
  });

  it('prefixes the 不属实 alias to the reason', () => {
    expect(parse('不属实 YH-2026-0003 已核实在位')).toMatchObject({ reason: '不属实：已核实在位' });
    expect(parse('不属实 YH-2026-0003 不属实，已核实')).toMatchObject({ reason: '不属实，已核实' });
  });

  it('links a duplicate', () => {
    expect(parse('驳回 YH-2026-0003 重复 yh-2026-1')).toEqual({
      name: 'dismiss',
      code: 'YH-2026-0003',
      reason: '重复 yh-2026-1',
      duplicateOf: 'YH-2026-0001',
    });
  });
});

describe('重开', () => {
  it('reads the reason and an optional deadline', () => {
    expect(parse('重开 YH-2026-0001 灭火器又被挪走了 截止 3天内')).toMatchObject({
      name: 'reopen',
      code: 'YH-2026-0001',
      reason: '灭火器又被挪走了',
      deadline: { text: '3天内' },
    });
    expect(parse('重开 YH-2026-0001 又坏了')).toEqual({ name: 'reopen', code: 'YH-2026-0001', reason: '又坏了' });
    expect(errorOf(parse('重开 YH-2026-0001'))).toContain('请写明重开原因');
  });
});

describe('改级', () => {
  it.each([
    ['改级 YH-2026-0001 重大', 'major'],
    ['改级 YH-2026-0001 重大隐患', 'major'],
    ['定级 YH-2026-0001 一般', 'general'],
  ])('%s', (text, level) => {
    expect(parse(text)).toEqual({ name: 'change_level', code: 'YH-2026-0001', level });
  });

  it.each(['改级 YH-2026-0001', '改级 YH-2026-0001 特别重大', '改级 YH-2026-0001 重大 一般'])(
    '%s is refused',
    (text) => {
      expect(errorOf(parse(text))).toContain('请写明等级');
    },
  );
});

describe('提醒', () => {
  it('reads a leading date phrase at the configured hour', () => {
    expect(parse('提醒 明天 检查各楼层灭火器')).toEqual({
      name: 'remind',
      text: '检查各楼层灭火器',
      at: { at: new Date('2026-06-11T00:00:00Z'), text: '明天', label: '6月11日（周四）08:00' },
      mentions: [],
    });
  });

  it('reads a time, mentions and a date at the end', () => {
    expect(parse('提醒 @张三 @李四 交安全台账 周五下午3点')).toMatchObject({
      text: '交安全台账',
      at: { at: new Date('2026-06-12T07:00:00Z') },
      mentions: [
        { name: '张三', mentioned: true },
        { name: '李四', mentioned: true },
      ],
    });
  });

  it('reads the 时间 keyword', () => {
    expect(parse('提醒 3号楼消防演练 时间 6月30日')).toMatchObject({ text: '3号楼消防演练', at: { text: '6月30日' } });
  });

  it('refuses missing or past times and missing text', () => {
    expect(errorOf(parse('提醒 检查灭火器'))).toContain('请写明提醒时间');
    expect(errorOf(parse('提醒 上午9点 开会'))).toContain('提醒时间');
    expect(errorOf(parse('提醒 明天'))).toContain('请写明提醒内容');
  });
});

describe('回执', () => {
  it('starts a campaign with a deadline and classes', () => {
    expect(parse('回执 发起 防溺水 截止 6月30日 班级 三年级一班、三年级二班')).toEqual({
      name: 'receipt_start',
      letter: '防溺水',
      deadline: { at: new Date('2026-06-30T15:59:59Z'), text: '6月30日', label: '6月30日（周二）23:59' },
      classes: ['三年级一班', '三年级二班'],
    });
    expect(parse('回执 发起 防溺水 三(1)班 截止 月底')).toMatchObject({ classes: ['三(1)班'] });
  });

  it('shows progress, optionally for one letter', () => {
    expect(parse('回执 进度')).toEqual({ name: 'receipt_progress' });
    expect(parse('回执 进度 防溺水')).toEqual({ name: 'receipt_progress', letter: '防溺水' });
  });

  it('asks for what is missing', () => {
    expect(errorOf(parse('回执'))).toContain('发起 或 进度');
    expect(errorOf(parse('回执 发起'))).toContain('告家长书');
    expect(errorOf(parse('回执 发起 防溺水'))).toContain('回执截止日期');
    expect(errorOf(parse('回执 发起 防溺水 截止 昨天'))).toContain('看不懂日期');
  });
});

describe('deadline time of day', () => {
  it('follows the catalog', () => {
    const catalog = { ...defaultCommands, deadlineTime: '18:00' };
    expect(parseCommand('指派 YH-2026-0001 @张三 截止 明天', { catalog, now: NOW })).toMatchObject({
      deadline: { at: new Date('2026-06-11T10:00:00Z'), label: '6月11日（周四）18:00' },
    });
  });
});

describe('time zone', () => {
  it('reads dates in the school’s zone', () => {
    const result = parseCommand('指派 YH-2026-0001 @张三 截止 明天', {
      catalog: defaultCommands,
      now: NOW,
      timeZone: 'Asia/Urumqi',
    });
    expect(result).toMatchObject({ deadline: { at: new Date('2026-06-11T17:59:59Z') } });
  });
});
