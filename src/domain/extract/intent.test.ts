import { describe, expect, it } from 'vitest';
import { extract } from './index.js';

const intentOf = (text: string) => extract(text).intent;

describe('negative cues', () => {
  it.each([
    '收到，谢谢',
    '好的',
    'OK',
    '老师们周末愉快',
    '感谢大家配合',
    '[语音]',
    '下午的班主任会取消了',
    '明天下午三点在会议室开安全工作会，请准时参加',
    '本周五进行地震疏散演练，请各班做好准备',
    '今天的消防演练很成功，感谢各位老师配合',
    '消防安全培训的签到表在我这里',
    '防溺水安全教育课已经上完了',
    '校车时刻表调整了，明早7点10分发车',
    '请大家检查一下各自班级的灭火器，有问题报给我',
    '请问安全教育平台的作业怎么查看？',
    '今天检查了学校所有的电梯，运行正常',
  ])('%s is not a report', (text) => {
    expect(intentOf(text)).toBe('other');
  });

  it.each([
    '已经处理好了，大家放心',
    '上午报的二楼漏水已经修好了',
    '围墙缺口已整改完毕，请查收照片',
    '灭火器的问题后勤已经换掉了',
    '我们组今天检查了宿舍，违规电器都收走了',
  ])('%s says the problem is resolved', (text) => {
    expect(intentOf(text)).toBe('other');
  });

  it('keeps the category and level null for a non-report', () => {
    expect(extract('已经处理好了，大家放心')).toMatchObject({ category: null, level: null, location: null });
  });
});

describe('reports that look like negatives', () => {
  it.each([
    '灭火器过期了还没换',
    '上次报的水管漏水还没修好',
    '二楼的楼梯扶手修好了又松了',
    '图书馆的烟感报警器有两个被拆掉了',
    '二楼的灭火器是不是过期了？',
  ])('%s is a hazard', (text) => {
    expect(intentOf(text)).toBe('hazard');
  });
});

describe('hazards without an explicit problem word', () => {
  it.each([
    '宿舍检查搜出了两个电吹风和一个小电锅',
    '教师宿舍楼道里停了三辆电动车在充电',
    '这两天天热，有家长反映孩子们中午去村边的河里洗澡',
    '四年级有学生被同学孤立，午饭都一个人吃，状态不好',
  ])('%s is a hazard', (text) => {
    expect(intentOf(text)).toBe('hazard');
  });
});

describe('incidents', () => {
  it.each([
    ['报告厅后台起火了，已经疏散学生', 'fire'],
    ['午饭后二年级有十几个学生肚子疼、呕吐，已经送医院了', 'food'],
    ['学生体育课上突然晕倒了，已经打了120', 'health'],
    ['今天中午有学生在河里溺水了，被路过的村民救上来了', 'drowning'],
    ['行政楼的电梯困人了，里面有两个老师', 'equipment'],
  ])('%s is an incident in %s', (text, category) => {
    expect(extract(text)).toMatchObject({ intent: 'incident', category });
  });

  it('reads a near miss as a hazard, not an incident', () => {
    expect(intentOf('配电箱冒火花，差点着火')).toBe('hazard');
  });

  it('reads a drill that simulates an accident as a notice', () => {
    expect(intentOf('明天的防溺水演练：模拟学生落水，请各班做好准备')).toBe('other');
  });
});
