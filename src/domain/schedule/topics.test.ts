import { describe, expect, it } from 'vitest';
import { loadTopicSets } from '../../../bot-flows/topics.js';
import { buildNationalCalendar } from '../calendar/national.js';
import type { SchoolCalendar } from '../calendar/school-calendar.js';
import { pickTopic, type TopicSet } from './topics.js';

const calendar: SchoolCalendar = { national: buildNationalCalendar(), district: {} };

const set: TopicSet = {
  title: '测试',
  items: [
    { id: 'a', title: 'A', points: [] },
    { id: 'b', title: 'B', points: [] },
    { id: 'c', title: 'C', points: [] },
    { id: 'swim', title: '防溺水', points: [], months: [5, 6, 7, 8, 9] },
    { id: 'holiday', title: '假期安全', points: [], occasions: ['before_holiday'] },
  ],
};

describe('topic rotation', () => {
  it('moves to the next topic each school day, skipping holidays', () => {
    const week = ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12'].map(
      (date) => pickTopic(set, date, 'daily', calendar)?.id,
    );
    // Consecutive school days take consecutive topics; Sunday 11th does not use one up.
    expect(week).toEqual(['a', 'b', 'c', 'a']);
  });

  it('adds seasonal topics only in season', () => {
    const ids = new Set(
      ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04'].map(
        (date) => pickTopic(set, date, 'daily', calendar)?.id,
      ),
    );
    expect(ids.has('swim')).toBe(true);
    const october = ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15'].map(
      (date) => pickTopic(set, date, 'daily', calendar)?.id,
    );
    expect(october).not.toContain('swim');
  });

  it('gives the pre-holiday lesson its own topic', () => {
    expect(pickTopic(set, '2026-09-30', 'before_holiday', calendar)?.id).toBe('holiday');
    expect(pickTopic(set, '2026-09-30', 'daily', calendar)?.id).not.toBe('holiday');
  });

  it('is deterministic for a date', () => {
    expect(pickTopic(set, '2026-11-23', 'daily', calendar)).toEqual(pickTopic(set, '2026-11-23', 'daily', calendar));
  });

  it('ships topic sets with a general topic in every month', () => {
    const sets = loadTopicSets();
    for (const month of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
      const date = `2026-${String(month).padStart(2, '0')}-15`;
      expect(pickTopic(sets.talk1530!, date, 'daily', calendar)).toBeDefined();
      expect(pickTopic(sets.daily_focus!, date, 'daily', calendar)).toBeDefined();
    }
  });
});
