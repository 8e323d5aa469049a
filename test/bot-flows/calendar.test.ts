import { describe, expect, it } from 'vitest';
import { isSchoolDay } from '../../src/domain/calendar/school-calendar.js';
import { loadCalendar } from '../../bot-flows/calendar.js';

describe('bot-flows/calendar.ts', () => {
  it('loads the shipped data and resolves districts to the default', () => {
    const loaded = loadCalendar();
    const school = loaded.forDistrict('unknown-district');
    expect(isSchoolDay('2026-08-03', school)).toBe(false);
    expect(isSchoolDay('2026-10-10', school)).toBe(true);
  });

  it('refuses bad data with file and field', () => {
    expect(() =>
      loadCalendar({ national: { '2027': { holidays: { '2027-02-30': '春节' } } }, districts: { default: {} } }),
    ).toThrow('bot-flows/calendar.ts: national.2027.holidays.2027-02-30: 日期格式应为 YYYY-MM-DD 且为真实日期');
    expect(() =>
      loadCalendar({ national: { '2027': { holidays: { '2026-10-01': '国庆' } } }, districts: { default: {} } }),
    ).toThrow('bot-flows/calendar.ts: national.2027.holidays.2026-10-01: 日期不属于 2027 年');
    expect(() =>
      loadCalendar({
        national: {},
        districts: { default: { vacations: [{ name: '暑假', start: '2026-08-31', end: '2026-07-04' }] } },
      }),
    ).toThrow('bot-flows/calendar.ts: districts.default.vacations[0].end: 结束日期不能早于开始日期');
    expect(() => loadCalendar({ national: {}, districts: {} })).toThrow(
      'bot-flows/calendar.ts: districts: 必须提供 default 区县校历',
    );
  });
});
