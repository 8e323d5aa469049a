import { describe, expect, it } from 'vitest';
import { extract } from './index.js';

const hintOf = (text: string) => extract(text).deadlineHint;

describe('deadline hint', () => {
  it.each([
    ['二楼走廊的灭火器过期了，请3天内更换', '3天内'],
    ['南门伸缩门坏了，下周五前必须修好', '下周五前'],
    ['食堂冷柜坏了，本周内处理', '本周内'],
    ['围墙缺口要在月底前补上', '月底前'],
    ['配电箱门没锁，明天下班前整改', '明天下班前'],
    ['楼梯扶手松了，三个工作日内修好', '三个工作日内'],
    ['宿舍电线乱拉，要求5月20日前整改完毕', '5月20日前'],
    ['燃气管道漏气，请立即处理', '立即处理'],
  ])('%s → %s', (text, hint) => {
    expect(hintOf(text)).toBe(hint);
  });

  it('is absent when the message gives no deadline', () => {
    expect(extract('二楼走廊的灭火器过期了')).not.toHaveProperty('deadlineHint');
  });

  it('ignores a plain date that is not a deadline', () => {
    expect(hintOf('本周五进行地震疏散演练，请各班做好准备')).toBeUndefined();
  });
});
