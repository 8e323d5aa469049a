import { describe, expect, it } from 'vitest';
import { normaliseLocation } from './location.js';

describe('normaliseLocation', () => {
  it.each([
    ['二楼走廊', '2楼走廊'],
    ['2层 走廊', '2楼走廊'],
    ['教学楼2F东边', '教学楼2楼东'],
    ['ＡB栋 二层 东侧的 男厕所', 'ab栋2楼东男卫生间'],
    ['三年级（二）班教室', '3年级2班教室'],
    ['学校大门口', '校门'],
    ['校门口旁边', '校门旁'],
    ['一楼楼梯间', '1楼楼梯'],
    ['食堂里', '食堂'],
    ['学校食堂后厨', '食堂后厨'],
    ['实验楼西面的过道', '实验楼西走廊'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseLocation(input)).toBe(expected);
  });

  it('keeps a place that is only a generic word', () => {
    expect(normaliseLocation('学校')).toBe('学校');
    expect(normaliseLocation('  ')).toBe('');
  });

  it('leaves words that merely contain numerals alone', () => {
    expect(normaliseLocation('十字路口')).toBe('十字路口');
  });
});
