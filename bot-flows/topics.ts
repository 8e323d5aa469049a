/**
 * Rotating topics: the 一日一醒 daily focus and the 1530 talks. Each school day takes the next topic of
 * the month's list; `months` limits a topic to a season, `occasions` makes it the choice on that occasion
 * (e.g. before_holiday: the 30-minute pre-holiday lesson). Every month needs at least one topic without
 * `occasions`; start-up checks this.
 */
import { parseConfig } from '../src/domain/schedule/config.js';
import { type TopicSet, type TopicSetsInput, topicSetsSchema } from '../src/domain/schedule/topics.js';

export const TOPICS_FILE = 'bot-flows/topics.ts';

const SUMMER = [5, 6, 7, 8, 9];
const WINTER = [11, 12, 1, 2];

export const topics = {
  sets: {
    daily_focus: {
      title: '一日一醒 今日重点',
      items: [
        {
          id: 'exits',
          title: '消防通道与安全出口',
          points: ['通道畅通无堆物', '安全出口未上锁', '应急灯、疏散指示完好'],
        },
        {
          id: 'electric',
          title: '用电安全',
          points: ['插座、电线无破损老化', '无违规电器', '电动车不进楼、不在楼道充电'],
        },
        { id: 'canteen', title: '食堂与饮水', points: ['食品留样齐全', '无过期变质食材', '饮水机清洁、滤芯在期'] },
        { id: 'stairs', title: '楼梯、栏杆与门窗', points: ['栏杆牢固', '防滑条完好', '门窗玻璃无松动破损'] },
        { id: 'gate', title: '校门与周边', points: ['门卫在岗、访客登记', '防冲撞设施到位', '周边无可疑人员'] },
        { id: 'lab', title: '实验室与危化品', points: ['危化品双人双锁、台账相符', '洗眼器可用', '废液按规定存放'] },
        {
          id: 'sports',
          title: '体育器材与运动场',
          points: ['器材固定牢靠', '场地无坑洼杂物', '篮球架、球门无倾倒风险'],
        },
        {
          id: 'flood',
          title: '汛期排查',
          points: ['排水沟畅通', '围墙、挡土墙无裂缝', '树木、广告牌稳固'],
          months: SUMMER,
        },
        {
          id: 'heating',
          title: '冬季供暖与燃气',
          points: ['燃气报警器正常', '取暖设备远离可燃物', '通风良好防一氧化碳中毒'],
          months: WINTER,
        },
      ],
    },
    talk1530: {
      title: '1530 安全教育话题',
      items: [
        { id: 'traffic', title: '交通安全', points: ['过马路走斑马线', '不坐超载车、无牌车', '不在路上追逐打闹'] },
        { id: 'strangers', title: '防拐骗', points: ['不跟陌生人走', '不吃陌生人给的东西', '遇到危险大声呼救'] },
        { id: 'fire', title: '防火', points: ['不玩火', '发现火情立即报告', '会拨打 119'] },
        { id: 'electricity', title: '防触电', points: ['不摸插座、电线', '湿手不碰电器', '远离变压器、高压线'] },
        { id: 'food', title: '饮食卫生', points: ['不买“三无”食品', '饭前便后洗手', '不喝生水'] },
        { id: 'bullying', title: '防欺凌', points: ['不欺负同学', '被欺负要告诉老师家长', '看到欺凌及时报告'] },
        { id: 'online', title: '网络安全', points: ['不添加陌生网友', '不泄露个人和家庭信息', '警惕网络诈骗'] },
        {
          id: 'drowning',
          title: '防溺水',
          points: ['不私自下水游泳', '不到陌生水域玩耍', '同伴落水不盲目施救，大声呼救'],
          months: SUMMER,
        },
        {
          id: 'storm',
          title: '防雷雨',
          points: ['雷雨天不在树下、电线杆下避雨', '远离积水和下水道口'],
          months: SUMMER,
        },
        { id: 'ice', title: '防冻防滑', points: ['雪天慢行', '不在冰面上玩耍', '注意保暖'], months: WINTER },
        {
          id: 'holiday',
          title: '假期安全',
          points: ['防溺水“六不”', '交通安全', '防火用电', '防诈骗', '按时返校'],
          occasions: ['before_holiday'],
        },
      ],
    },
  },
} satisfies TopicSetsInput;

export function loadTopicSets(source: unknown = topics): Record<string, TopicSet> {
  return parseConfig(topicSetsSchema, source, TOPICS_FILE).sets;
}
