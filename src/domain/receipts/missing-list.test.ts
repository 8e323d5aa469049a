import { describe, expect, it } from 'vitest';
import { buildMissingList, type MissingListInput } from './missing-list.js';

const INPUT: MissingListInput = {
  letterTitle: '防溺水安全告家长书',
  className: '三年级2班',
  deadlineText: '6月30日',
  students: [
    { studentId: 'a', name: '张三', studentNo: '10' },
    { studentId: 'b', name: '李四', studentNo: '2' },
    { studentId: 'c', name: '王五', studentNo: '' },
    { studentId: 'd', name: '赵六', studentNo: '1' },
  ],
  confirmedStudentIds: ['d'],
};

describe('buildMissingList', () => {
  it('gives the class teacher the missing names privately', () => {
    const result = buildMissingList(INPUT, { channel: 'direct', isClassTeacher: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.missing.map((s) => s.studentId)).toEqual(['c', 'b', 'a']);
    expect(result.text).toBe(
      [
        '三年级2班《防溺水安全告家长书》回执还有 3 名学生的家长未确认（已确认 1/4）：',
        '1. 王五',
        '2. 李四（2）',
        '3. 张三（10）',
        '截止 6月30日。可提醒以上学生的家长点击家长群里的卡片确认。',
      ].join('\n'),
    );
  });

  it('works in the teacher H5 view and with a Set of confirmed ids', () => {
    const result = buildMissingList(
      { ...INPUT, confirmedStudentIds: new Set(['a', 'b', 'c', 'd']) },
      {
        channel: 'h5',
        isClassTeacher: true,
      },
    );
    expect(result).toEqual({ ok: true, missing: [], text: '三年级2班《防溺水安全告家长书》回执已全部确认（4/4）。' });
  });

  it('never shows names in a group', () => {
    const result = buildMissingList(INPUT, { channel: 'group', isClassTeacher: true });
    expect(result).toEqual({ ok: false, reason: '未确认学生名单只私信发给本班班主任，群里只显示人数。' });
  });

  it('refuses anyone but the class teacher', () => {
    const result = buildMissingList(INPUT, { channel: 'direct', isClassTeacher: false });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toContain('张三');
  });
});
