import { describe, expect, it } from 'vitest';
import { type DeadlineResult, findDeadline, formatLocalDateTime, parseDeadline } from './deadline.js';
import type { CivilDate } from './tz.js';

/** Wednesday 2026-06-10 10:00 in Shanghai. */
const WEDNESDAY = new Date('2026-06-10T02:00:00Z');

function localIso(result: DeadlineResult): string {
  if (!result.ok) throw new Error(`expected a date, got: ${result.reason}`);
  const shanghai = new Date(result.at.getTime() + 8 * 3_600_000);
  return shanghai.toISOString().slice(0, 19).replace('T', ' ');
}

function reasonOf(result: DeadlineResult): string {
  if (result.ok) throw new Error(`expected a refusal, got ${result.at.toISOString()}`);
  return result.reason;
}

describe('parseDeadline relative to Wednesday 2026-06-10 10:00 Asia/Shanghai', () => {
  it.each([
    ['今天', '2026-06-10 23:59:59'],
    ['明天', '2026-06-11 23:59:59'],
    ['后天', '2026-06-12 23:59:59'],
    ['大后天', '2026-06-13 23:59:59'],
    ['3天内', '2026-06-13 23:59:59'],
    ['三天内', '2026-06-13 23:59:59'],
    ['3日内', '2026-06-13 23:59:59'],
    ['5天', '2026-06-15 23:59:59'],
    ['一周内', '2026-06-17 23:59:59'],
    ['两周内', '2026-06-24 23:59:59'],
    ['两个星期内', '2026-06-24 23:59:59'],
    ['半个月内', '2026-06-25 23:59:59'],
    ['1个月内', '2026-07-10 23:59:59'],
    ['本周内', '2026-06-14 23:59:59'],
    ['下周内', '2026-06-21 23:59:59'],
    ['下周五', '2026-06-19 23:59:59'],
    ['下下周一', '2026-06-22 23:59:59'],
    ['周五前', '2026-06-12 23:59:59'],
    ['星期五之前', '2026-06-12 23:59:59'],
    ['周三', '2026-06-10 23:59:59'],
    ['周日', '2026-06-14 23:59:59'],
    ['礼拜天', '2026-06-14 23:59:59'],
    ['6月30日', '2026-06-30 23:59:59'],
    ['六月三十号', '2026-06-30 23:59:59'],
    ['6/30', '2026-06-30 23:59:59'],
    ['2026-12-01', '2026-12-01 23:59:59'],
    ['2026/12/1', '2026-12-01 23:59:59'],
    ['2026年12月1日', '2026-12-01 23:59:59'],
    ['12月1日前', '2026-12-01 23:59:59'],
    ['十二月一日之前', '2026-12-01 23:59:59'],
    ['月底前', '2026-06-30 23:59:59'],
    ['本月内', '2026-06-30 23:59:59'],
    ['下个月底', '2026-07-31 23:59:59'],
    ['下月10号', '2026-07-10 23:59:59'],
    ['年底前', '2026-12-31 23:59:59'],
    ['20号', '2026-06-20 23:59:59'],
    ['5号', '2026-07-05 23:59:59'],
    ['24小时内', '2026-06-11 10:00:00'],
    ['3个工作日内', '2026-06-15 23:59:59'],
    ['明天下午5点', '2026-06-11 17:00:00'],
    ['明天下午五点半', '2026-06-11 17:30:00'],
    ['今晚8点', '2026-06-10 20:00:00'],
    ['明天上午', '2026-06-11 12:00:00'],
    ['2026-12-01 17:00', '2026-12-01 17:00:00'],
    ['下午3点', '2026-06-10 15:00:00'],
    ['截止：明天前', '2026-06-11 23:59:59'],
    ['最迟 6月30日 前完成。', '2026-06-30 23:59:59'],
    ['６月３０日', '2026-06-30 23:59:59'],
  ])('%s → %s', (phrase, expected) => {
    expect(localIso(parseDeadline(phrase, WEDNESDAY))).toBe(expected);
  });

  it('keeps the phrase and a display label', () => {
    const result = parseDeadline(' 下周五 ', WEDNESDAY);
    expect(result).toMatchObject({ ok: true, text: '下周五', date: { year: 2026, month: 6, day: 19 } });
    expect(result.ok && result.label).toBe('6月19日（周五）23:59');
  });
});

describe('parseDeadline across month and year ends', () => {
  const newYearsEve = new Date('2026-12-31T04:00:00Z'); // Thursday 12:00 local

  it.each([
    ['明天', '2027-01-01 23:59:59'],
    ['3天内', '2027-01-03 23:59:59'],
    ['下周五', '2027-01-08 23:59:59'],
    ['月底前', '2026-12-31 23:59:59'],
    ['下月底', '2027-01-31 23:59:59'],
    ['1月5日', '2027-01-05 23:59:59'],
    ['1/5', '2027-01-05 23:59:59'],
    ['5号', '2027-01-05 23:59:59'],
    ['1个月内', '2027-01-31 23:59:59'],
    ['明年底', '2027-12-31 23:59:59'],
  ])('on 2026-12-31: %s → %s', (phrase, expected) => {
    expect(localIso(parseDeadline(phrase, newYearsEve))).toBe(expected);
  });

  it('clamps one month after 31 January to the end of February', () => {
    const jan31 = new Date('2028-01-31T02:00:00Z');
    expect(localIso(parseDeadline('1个月内', jan31))).toBe('2028-02-29 23:59:59');
    expect(localIso(parseDeadline('月底', new Date('2028-02-10T02:00:00Z')))).toBe('2028-02-29 23:59:59');
  });

  it('reads the local date, not the UTC one, just after local midnight', () => {
    const justAfterMidnight = new Date('2026-06-30T16:10:00Z'); // 2026-07-01 00:10 local
    expect(localIso(parseDeadline('今天', justAfterMidnight))).toBe('2026-07-01 23:59:59');
    expect(localIso(parseDeadline('月底前', justAfterMidnight))).toBe('2026-07-31 23:59:59');
  });
});

describe('parseDeadline refusals', () => {
  it.each(['asdf', '随便', '下周', '三', '明天的明天', '6月', '十三月一日'])('does not understand %s', (phrase) => {
    expect(reasonOf(parseDeadline(phrase, WEDNESDAY))).toMatch(/看不懂日期|日期不存在/);
  });

  it('asks for a date when the text is empty', () => {
    expect(reasonOf(parseDeadline('  ', WEDNESDAY))).toContain('请写明日期');
  });

  it.each(['6月5日', '本周一', '2026-01-01', '1月5日'])('refuses %s as already past', (phrase) => {
    expect(reasonOf(parseDeadline(phrase, WEDNESDAY))).toContain('截止日期已过');
  });

  it('refuses a time earlier today', () => {
    expect(reasonOf(parseDeadline('上午9点', WEDNESDAY))).toContain('已过');
  });

  it('words the refusal for reminders', () => {
    expect(reasonOf(parseDeadline('6月5日', WEDNESDAY, { purpose: 'reminder' }))).toContain('提醒时间');
  });

  it.each(['2月30日', '6月31日', '2027-02-29', '31号'])('refuses the impossible date %s', (phrase) => {
    const june = new Date('2026-06-10T02:00:00Z');
    const inApril = phrase === '31号' ? new Date('2026-04-10T02:00:00Z') : june;
    expect(reasonOf(parseDeadline(phrase, inApril))).toContain('日期不存在');
  });

  it('refuses dates years away and bad clock times', () => {
    expect(reasonOf(parseDeadline('2099-01-01', WEDNESDAY))).toContain('太远');
    expect(reasonOf(parseDeadline('明天25点', WEDNESDAY))).toContain('时间不对');
  });
});

describe('parseDeadline options', () => {
  it('uses the configured day time', () => {
    expect(localIso(parseDeadline('明天', WEDNESDAY, { dayTime: { hour: 18, minute: 0 } }))).toBe(
      '2026-06-11 18:00:00',
    );
  });

  it('reads the phrase in the given time zone', () => {
    const result = parseDeadline('明天', WEDNESDAY, { timeZone: 'Europe/London' });
    expect(result.ok && result.at.toISOString()).toBe('2026-06-11T22:59:59.000Z');
  });

  it('counts working days with the calendar it is given', () => {
    const holidays = new Set(['2026-6-11', '2026-6-12']);
    const isWorkingDay = (d: CivilDate) =>
      !holidays.has(`${d.year}-${d.month}-${d.day}`) && d.day !== 13 && d.day !== 14;
    expect(localIso(parseDeadline('2个工作日内', WEDNESDAY, { isWorkingDay }))).toBe('2026-06-16 23:59:59');
  });
});

describe('findDeadline', () => {
  it('finds a phrase inside free text', () => {
    const found = findDeadline('大家明天下午检查一下灭火器', WEDNESDAY);
    expect(found).toMatchObject({ text: '明天下午', index: 2 });
    expect(found && localIso(found.result)).toBe('2026-06-11 18:00:00');
  });

  it('does not take building numbers for dates', () => {
    const found = findDeadline('3号楼的灯请20号前修好', WEDNESDAY);
    expect(found?.text).toBe('20号前');
  });

  it('returns null when there is no date', () => {
    expect(findDeadline('二楼走廊灭火器过期', WEDNESDAY)).toBeNull();
  });
});

describe('formatLocalDateTime', () => {
  it('shows the year only when it differs from now', () => {
    const at = new Date('2027-01-05T15:59:59Z');
    expect(formatLocalDateTime(at, 'Asia/Shanghai', WEDNESDAY)).toBe('2027年1月5日（周二）23:59');
    expect(formatLocalDateTime(at, 'Asia/Shanghai', at)).toBe('1月5日（周二）23:59');
  });
});
