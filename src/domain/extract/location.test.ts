import { describe, expect, it } from 'vitest';
import { extract } from './index.js';

const locationOf = (text: string) => extract(text).location;

describe('location', () => {
  it.each([
    ['@安全助手 二楼走廊的灭火器箱是空的', '二楼走廊'],
    ['教师宿舍楼道里停了三辆电动车在充电', '教师宿舍楼道里'],
    ['三楼东侧楼梯口的应急灯不亮了', '三楼东侧楼梯口'],
    ['食堂后厨的排烟管道全是油，一年多没清过', '食堂后厨'],
    ['操场东北角的监控一直是黑屏', '操场东北角'],
    ['3号宿舍楼四楼的栏杆松了，一摇就晃', '3号宿舍楼四楼'],
    ['五年级3班教室的多媒体插头冒烟了', '五年级3班教室'],
    ['初一(2)班教室后面的插座面板碎了', '初一(2)班教室后面'],
    ['计算机教室的电线从地上直接拖过去', '计算机教室'],
    ['化学准备室的药品柜没有上锁', '化学准备室'],
    ['教学楼三楼女厕所的隔板倒了', '教学楼三楼女厕所'],
    ['北门外的人行道被摊贩占了', '北门外的人行道'],
    ['食堂后面的配电房门没锁，里面还堆了纸箱', '食堂后面的配电房'],
    ['今天的3号校车坐了50多个孩子', '3号校车'],
  ])('%s → %s', (text, location) => {
    expect(locationOf(text)).toBe(location);
  });

  it('skips a vague place for a specific one', () => {
    expect(locationOf('学校附近新挖的水塘没有立警示标志')).toBe('水塘');
  });

  it('keeps a vague place when a side word makes it specific', () => {
    expect(locationOf('学校门口的减速带被压坏了')).toBe('学校门口');
  });

  it('does not take a weather station for a place', () => {
    expect(locationOf('气象台发了暴雨预警，操场的排水口被垃圾堵着')).toBe('操场');
  });

  it('does not take a time word in front of a place', () => {
    expect(locationOf('午休的时候宿舍里两个学生打架')).toBe('宿舍里');
  });

  it('does not take a grade of pupils for a place', () => {
    expect(locationOf('三年级一个孩子被校门口的车蹭倒了')).toBe('校门口');
  });

  it('falls back to a vague place when it is the only one', () => {
    expect(locationOf('有学生带了一把管制刀具来学校，被同学看见了')).toBe('学校');
  });

  it('is null when the message names no place', () => {
    expect(locationOf('班里有个女生在日记里写不想活了')).toBeNull();
  });
});
