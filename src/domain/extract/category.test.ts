import { describe, expect, it } from 'vitest';
import { extract } from './index.js';

const categoryOf = (text: string) => extract(text).category;

describe('tie-breaks', () => {
  it('school bus wins even for an extinguisher', () => {
    expect(categoryOf('校车上的灭火器过期了')).toBe('traffic');
  });

  it('wiring, sockets and power strips are fire even in a laboratory', () => {
    expect(categoryOf('物理实验室的插座烧黑了')).toBe('fire');
    expect(categoryOf('计算机教室的电线从地上直接拖过去，好多接线板串联')).toBe('fire');
  });

  it('e-bike charging is fire', () => {
    expect(categoryOf('车棚那边好多电瓶车在飞线充电')).toBe('fire');
  });

  it('gas is facility even in the canteen or boiler room', () => {
    expect(categoryOf('食堂的燃气报警器一直不亮')).toBe('facility');
    expect(categoryOf('锅炉房旁边的天然气管道有一段生锈漏气，闻到味道了')).toBe('facility');
  });

  it('weather named as the cause is disaster', () => {
    expect(categoryOf('大风把教学楼顶的太阳能板吹松了')).toBe('disaster');
    expect(categoryOf('气象台发了暴雨预警，操场的排水口被垃圾堵着')).toBe('disaster');
  });

  it('weather as mere context is not disaster', () => {
    expect(categoryOf('楼梯的防滑条都掉了，下雨天很滑')).toBe('facility');
    expect(categoryOf('操场的足球门没固定，风一吹就晃')).toBe('facility');
  });

  it('a crack that threatens collapse is building, a cracked pane is facility', () => {
    expect(categoryOf('围墙有一段往外倾斜，下面还有裂缝')).toBe('building');
    expect(categoryOf('一楼大厅的玻璃幕墙有一块裂了')).toBe('facility');
  });

  it('a gap someone can climb through is security', () => {
    expect(categoryOf('东边围墙有个缺口，外面的人可以直接钻进来')).toBe('security');
  });

  it('a blocked evacuation route is fire whatever blocks it', () => {
    expect(categoryOf('停车场的车都乱停，挡住了消防通道')).toBe('fire');
  });

  it('adults fighting at the gate is security, not bullying', () => {
    expect(categoryOf('家长在校门口吵起来了，有人动手打人')).toBe('security');
  });

  it('pupils swimming on ice are drowning, not weather', () => {
    expect(categoryOf('村里的池塘结冰了，孩子们在冰上滑着玩')).toBe('drowning');
  });
});

describe('one report per category', () => {
  it.each([
    ['图书馆的烟感报警器有两个被拆掉了', 'fire'],
    ['后厨有两个帮厨的健康证过期了', 'food'],
    ['开水房锅炉水垢很厚，水质发黄', 'food'],
    ['化学准备室的药品柜没有上锁，钥匙就挂在门上', 'lab'],
    ['生物实验室的高压灭菌锅没有操作规程', 'lab'],
    ['食堂蒸饭柜的压力表坏了', 'equipment'],
    ['学校门口的减速带被压坏了', 'traffic'],
    ['暑假装修的教学楼开学了还没验收就要用', 'building'],
    ['教室的电风扇叶片有一片裂开了', 'facility'],
    ['学校附近新挖的水塘没有立警示标志', 'drowning'],
    ['初二有几个男生课间经常推搡一个个子小的同学', 'bullying'],
    ['监控室的录像只能保存三天，达不到要求', 'security'],
    ['宿舍后面的山体有裂缝，下雨后有小面积滑坡', 'disaster'],
    ['一年级二班这周有5个学生得了水痘', 'health'],
    ['学校周边新开了一家网吧，中午有学生偷偷溜出去上网', 'other'],
  ])('%s → %s', (text, category) => {
    expect(extract(text)).toMatchObject({ intent: 'hazard', category });
  });
});
