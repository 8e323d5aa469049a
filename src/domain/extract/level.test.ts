import { describe, expect, it } from 'vitest';
import { extract } from './index.js';

const levelOf = (text: string) => extract(text).level;

describe('major cues', () => {
  it.each([
    ['gas smell', '科学楼的天然气闻着有味道，好像哪里漏了'],
    ['fire', '配电房着火了！！快来人'],
    ['structural movement', '教学楼后墙有一道裂缝，越来越宽了'],
    ['falling concrete', '食堂屋顶的横梁有裂纹，昨天掉了些水泥块'],
    ['elevator entrapment', '电梯今天下午把三个学生困在里面十几分钟'],
    ['missing hazardous chemicals', '实验室少了一瓶浓硫酸，台账对不上'],
    ['spilled mercury', '实验室有一瓶汞温度计碎了，水银洒在地上，学生还在里面'],
    ['overloaded bus', '今天的3号校车坐了50多个孩子，核载才35人'],
    ['crowded van', '接送学生的面包车里挤了十几个孩子'],
    ['drunk driver', '校车司机早上身上有酒味'],
    ['failing brakes', '校车今天早上刹车失灵了一下，司机说有点问题但还在跑'],
    ['pupils in open water', '周末有学生约着去水库游泳'],
    ['self-harm signals', '最近有个学生手腕上有很多划痕，不愿意说话'],
    ['violence with injury', '宿舍里一个学生被舍友打了，脸上有伤'],
    ['knife near the gate', '校门口有个陌生人拿着刀在附近晃'],
    ['food poisoning cluster', '学生吃了食堂的凉拌菜后，有二十多个人上吐下泻'],
    ['spoiled meat in the canteen', '食堂冷柜里发现变质的猪肉，差点就用上了'],
    ['blocked evacuation with children inside', '幼儿园的疏散楼梯被装修材料完全堵住了，孩子们在午睡'],
    ['landslide', '学校后山有石头滚下来，砸到了围墙'],
  ])('%s', (_cue, text) => {
    expect(levelOf(text)).toBe('major');
  });
});

describe('general hazards near the major cues', () => {
  it.each([
    ['a dark gas alarm is not a leak', '食堂的燃气报警器一直不亮'],
    ['a pressure cooker seal is not gas', '食堂的压力锅密封圈老化，一直漏气'],
    ['elevator noise is not entrapment', '教学楼电梯运行的时候有异响，一停一顿的'],
    ['a seat belt is not an overloaded bus', '校车座椅的安全带有好几个扣不上'],
    ['a locked exit without children is general', '阶梯教室的安全出口门被锁上了'],
    ['a missing label is not missing chemicals', '化学实验室的药品标签掉了好几瓶，不知道是什么'],
    ['loose tiles are not structural', '老教学楼外墙的瓷砖有几块松动了'],
    ['a barrier-less pond is not swimming', '学校后面的鱼塘边上没有护栏，也没有救生圈'],
    ['pushing without injury is general', '初二有几个男生课间经常推搡一个个子小的同学'],
    ['a scorch mark is not a fire', '办公室的插座烧黑了，还有一股焦味'],
    ['an infectious cluster is general', '五年级有好几个学生发烧呕吐，怀疑是诺如病毒'],
  ])('%s', (_why, text) => {
    expect(levelOf(text)).toBe('general');
  });
});
