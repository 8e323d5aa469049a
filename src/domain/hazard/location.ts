import { parseSmallNumber } from '../dates/numerals.js';

/** Words people use for the same place, rewritten to one form (after punctuation and 的 are gone). */
const SYNONYMS: [RegExp, string][] = [
  [/(?:洗手间|厕所|卫生间|公厕)/g, '卫生间'],
  [/(?:学校大门|校大门|大门口|校门口|大门|正门)/g, '校门'],
  [/(?:餐厅|饭堂)/g, '食堂'],
  [/(?:运动场|田径场)/g, '操场'],
  [/(?:楼梯间|楼梯口|楼梯道|楼道梯)/g, '楼梯'],
  [/(?:走道|过道|廊道)/g, '走廊'],
  [/([东西南北左右前后])(?:侧|边|面|头|端|手边|手)/g, '$1'],
  [/(?:旁边|附近|周边|边上|一侧|跟前)/g, '旁'],
  [/(\d+)(?:层|f|楼层)/g, '$1楼'],
];

/** Generic words that say nothing about which place it is. */
const PREFIXES = /^(?:我们学校|我校|本校|学校|校园内|校园里|校内|校园)/;
const SUFFIXES = /(?:这里|那里|这边|那边|位置|一带|区域|地方|里面|里|内|处|上)+$/;

const CHINESE_NUMBER = /第?([零〇一二两三四五六七八九十]+)(?=[楼层号栋幢单元室班年级排区])/g;

/**
 * A comparable form of a place: 'ＡB栋 二层 东侧的 男厕所' and 'AB栋2楼东男卫生间' come out equal.
 * Lower-cased, no spaces or punctuation, no 的, numbers in digits, one word per common place.
 */
export function normaliseLocation(location: string): string {
  let text = location.normalize('NFKC').toLowerCase();
  text = text.replace(/[\s\p{P}\p{S}]+/gu, '').replace(/的/g, '');
  text = text.replace(CHINESE_NUMBER, (match, numeral: string) => {
    const value = parseSmallNumber(numeral);
    return value === null ? match : String(value);
  });
  text = text.replace(PREFIXES, '') || text;
  for (const [pattern, replacement] of SYNONYMS) text = text.replace(pattern, replacement);
  return text.replace(SUFFIXES, '') || text;
}
