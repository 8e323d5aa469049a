import { NUMBER_PATTERN as N, parseSmallNumber } from './numerals.js';
import {
  addDays,
  addMonths,
  type CivilDate,
  DEFAULT_TIME_ZONE,
  daysBetween,
  daysInMonth,
  isValidCivilDate,
  localParts,
  weekdayOf,
  zonedTimeToUtc,
} from './tz.js';

export interface ClockTime {
  hour: number;
  minute: number;
  second?: number;
}

export interface DeadlineOptions {
  /** IANA zone the phrase is read in; default Asia/Shanghai. */
  timeZone?: string;
  /** Local time a date-only phrase resolves to; default 23:59:59 (the whole day counts). */
  dayTime?: ClockTime;
  /** Changes only the wording of refusals (截止日期 vs 提醒时间). */
  purpose?: 'deadline' | 'reminder';
  /** Working-day test for "N个工作日内"; default Monday–Friday (the school calendar can be passed in). */
  isWorkingDay?: (date: CivilDate) => boolean;
  /** A month-day without a year that is further in the past than this is read as next year. */
  rollOverAfterDays?: number;
  /** Refuse deadlines further away than this many days. */
  maxDays?: number;
}

export type DeadlineResult =
  | { ok: true; at: Date; text: string; date: CivilDate; label: string }
  | { ok: false; reason: string };

export interface FoundDeadline {
  result: DeadlineResult;
  /** The phrase as found in the text, and where. */
  text: string;
  index: number;
}

type Groups = Record<string, string | undefined>;

interface Context {
  now: Date;
  today: CivilDate;
  weekday: number;
  timeZone: string;
  rollOverAfterDays: number;
  isWorkingDay: (date: CivilDate) => boolean;
}

type Resolution =
  | { kind: 'day'; date: CivilDate; evening?: boolean }
  | { kind: 'instant'; at: Date }
  | { kind: 'invalid'; reason: string };

interface Rule {
  pattern: RegExp;
  /** Whether a time of day ("下午5点", "17:00") may follow. */
  timed: boolean;
  resolve(groups: Groups, context: Context): Resolution;
}

const WEEKDAY_NAMES = ['一', '二', '三', '四', '五', '六', '日'];
const DAY_NAMES: Record<string, number> = { 今天: 0, 今日: 0, 当天: 0, 今晚: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 };
/** Building and room words that make "3号" a place, not a date ("3号楼", "2号门"). */
const NOT_A_DAY = '(?![楼栋馆院线车门室床位窗柜机口])';
const WEEK = '(?:周|星期|礼拜)';
const WITHIN = '之内|以内|内|之后|以后|后';
const PERIOD_WORDS = '凌晨|早上|早晨|上午|中午|下午|傍晚|晚上';

const sticky = (source: string) => new RegExp(source, 'y');

function num(text: string | undefined): number {
  return text === undefined ? Number.NaN : (parseSmallNumber(text) ?? Number.NaN);
}

function calendarDay(date: CivilDate, label: string): Resolution {
  return isValidCivilDate(date) ? { kind: 'day', date } : { kind: 'invalid', reason: `日期不存在：${label}` };
}

/** A month and day without a year: this year, or next year when it is long past (12月说"1月5日"). */
function monthDay(month: number, day: number, context: Context): Resolution {
  const label = `${month}月${day}日`;
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return { kind: 'invalid', reason: `日期不存在：${label}` };
  const thisYear = { year: context.today.year, month, day };
  if (!isValidCivilDate(thisYear)) {
    const nextYear = { ...thisYear, year: thisYear.year + 1 };
    return isValidCivilDate(nextYear) && daysBetween(context.today, nextYear) <= 366
      ? { kind: 'day', date: nextYear }
      : { kind: 'invalid', reason: `日期不存在：${label}` };
  }
  const ago = daysBetween(thisYear, context.today);
  if (ago > context.rollOverAfterDays) return calendarDay({ ...thisYear, year: thisYear.year + 1 }, label);
  return { kind: 'day', date: thisYear };
}

function weekOffset(scope: string | undefined): number | null {
  if (!scope) return null;
  if (scope.startsWith('下下')) return 2;
  if (scope.startsWith('下')) return 1;
  return 0;
}

const RULES: Rule[] = [
  {
    // 2026-12-01, 2026/12/1, 2026.12.01, 2026年12月1日
    pattern: sticky(`(?<y>\\d{4})\\s*(?:[-/.]|年)\\s*(?<m>${N})\\s*(?:[-/.]|月)\\s*(?<d>${N})\\s*[日号]?`),
    timed: true,
    resolve: (g) => {
      const date = { year: num(g.y), month: num(g.m), day: num(g.d) };
      return calendarDay(date, `${g.y}年${g.m}月${g.d}日`);
    },
  },
  {
    // 3天内, 三日内, 一周内, 两个星期内, 1个月内, 半个月内, 24小时内, 3个工作日内, 5天后, 3天
    // ("3日" alone is the 3rd of the month, so 日 needs 内/后).
    pattern: sticky(
      `(?<n>${N}|半)\\s*(?:(?<unit>个?小时|钟头|天|个?工作日|周|个?星期|个?礼拜|个月)(?:${WITHIN})?|(?<day>日)(?:${WITHIN}))`,
    ),
    timed: false,
    resolve: (g, context) => {
      const n = g.n === '半' ? 0.5 : num(g.n);
      const unit = (g.unit ?? g.day ?? '').replace('个', '');
      if (!(n > 0)) return { kind: 'invalid', reason: `时长不对：${g.n}${unit}` };
      switch (unit) {
        case '小时':
        case '钟头':
          return { kind: 'instant', at: new Date(context.now.getTime() + n * 3_600_000) };
        case '天':
        case '日':
          return { kind: 'day', date: addDays(context.today, Math.ceil(n)) };
        case '工作日': {
          let date = context.today;
          for (let left = Math.ceil(n); left > 0; ) {
            date = addDays(date, 1);
            if (context.isWorkingDay(date)) left -= 1;
          }
          return { kind: 'day', date };
        }
        case '月':
          return n === 0.5
            ? { kind: 'day', date: addDays(context.today, 15) }
            : { kind: 'day', date: addMonths(context.today, Math.ceil(n)) };
        default:
          return { kind: 'day', date: addDays(context.today, Math.ceil(n * 7)) };
      }
    },
  },
  {
    pattern: sticky('(?<name>大后天|今天|今日|当天|今晚|明天|明日|后天)'),
    timed: true,
    resolve: (g, context) => ({
      kind: 'day',
      date: addDays(context.today, DAY_NAMES[g.name ?? ''] ?? 0),
      evening: g.name === '今晚',
    }),
  },
  {
    // 下周五, 本周三, 周五, 星期天, 下下周一
    pattern: sticky(`(?<scope>下下个?|下个?|本|这个?)?${WEEK}(?<wd>[一二三四五六日天1-7])`),
    timed: true,
    resolve: (g, context) => {
      const wd = g.wd === '天' ? 7 : /[1-7]/.test(g.wd ?? '') ? Number(g.wd) : WEEKDAY_NAMES.indexOf(g.wd ?? '') + 1;
      const weeks = weekOffset(g.scope);
      // A bare weekday means the next one to come (today included); 本/这 pin it to this week.
      const delta = weeks === null ? (wd - context.weekday + 7) % 7 : weeks * 7 + wd - context.weekday;
      return { kind: 'day', date: addDays(context.today, delta) };
    },
  },
  {
    // 本周内, 这周末, 下周内, 本月内, 月底, 下个月底, 下月末
    pattern: sticky(`(?<scope>下下个?|下个?|本|这个?)?(?<unit>${WEEK}|月)(?<end>之内|以内|内|底|末)`),
    timed: true,
    resolve: (g, context) => {
      const offset = weekOffset(g.scope) ?? 0;
      if (g.unit === '月') {
        const month = addMonths({ ...context.today, day: 1 }, offset);
        return { kind: 'day', date: { ...month, day: daysInMonth(month.year, month.month) } };
      }
      return { kind: 'day', date: addDays(context.today, offset * 7 + 7 - context.weekday) };
    },
  },
  {
    // 年底, 年内, 今年年底, 明年底
    pattern: sticky('(?:(?<scope>今年|本年|明年)年?|年)(?:之内|以内|内|底|末)'),
    timed: true,
    resolve: (g, context) => ({
      kind: 'day',
      date: { year: context.today.year + (g.scope === '明年' ? 1 : 0), month: 12, day: 31 },
    }),
  },
  {
    // 下月10日, 本月20号, 下个月5号
    pattern: sticky(`(?<scope>本|这个?|下个?)月\\s*(?<d>${N})\\s*[日号]${NOT_A_DAY}`),
    timed: true,
    resolve: (g, context) => {
      const month = addMonths({ ...context.today, day: 1 }, g.scope?.startsWith('下') ? 1 : 0);
      return calendarDay({ ...month, day: num(g.d) }, `${month.month}月${g.d}日`);
    },
  },
  {
    // 6月30日, 十二月一号, 6/30
    pattern: sticky(
      `(?:(?<m>${N})\\s*月\\s*(?<d>${N})\\s*[日号]?${NOT_A_DAY}|(?<sm>\\d{1,2})/(?<sd>\\d{1,2})(?![/\\d]))`,
    ),
    timed: true,
    resolve: (g, context) => monthDay(num(g.m ?? g.sm), num(g.d ?? g.sd), context),
  },
  {
    // 20号, 5日: this month, or next month once the day has passed.
    pattern: sticky(`(?<d>${N})\\s*[日号]${NOT_A_DAY}`),
    timed: true,
    resolve: (g, context) => {
      const day = num(g.d);
      if (!(day >= 1 && day <= 31)) return { kind: 'invalid', reason: `日期不存在：${g.d}日` };
      const month = addMonths({ ...context.today, day: 1 }, day < context.today.day ? 1 : 0);
      return calendarDay({ ...month, day }, `${month.month}月${day}日`);
    },
  },
  {
    // 下午3点, 17:00: today at that time (the time itself is read by TIME_OF_DAY).
    pattern: sticky(`(?=${PERIOD_WORDS}|\\d{1,2}:\\d{2})`),
    timed: true,
    resolve: (_g, context) => ({ kind: 'day', date: context.today }),
  },
];

const TIME_OF_DAY = sticky(
  `\\s*(?<ap>${PERIOD_WORDS})?\\s*(?:(?<h>${N})\\s*(?:[点时:])\\s*(?:(?<half>半)|(?<mi>${N})\\s*分?)?)?`,
);
const PREFIX = sticky(
  '\\s*(?:截止|截至|期限|时限|最晚|最迟|不晚于|务必|须|需|要|请|在|于|到)*\\s*(?:日期|时间)?\\s*[:：]?\\s*',
);
const SUFFIX = sticky(
  '\\s*(?:之前|以前|前|之内|以内|内|为止|截止)?\\s*(?:完成|整改完毕|整改到位)?\\s*[。.!！,，;；]*\\s*',
);
/** Characters a date phrase can start with; other positions are skipped while searching. */
const PHRASE_START = /[0-9零〇一二两三四五六七八九十半今明后大当本这下上周星礼月年凌早中傍晚]/;

interface TimeOfDay {
  hour: number;
  minute: number;
}

function readTime(groups: Groups, evening: boolean): TimeOfDay | null | 'invalid' {
  const period = groups.ap ?? (evening ? '晚上' : undefined);
  if (groups.h === undefined) {
    if (!groups.ap) return null;
    if (period === '凌晨' || period === '早上' || period === '早晨' || period === '上午' || period === '中午')
      return { hour: 12, minute: 0 };
    if (period === '下午' || period === '傍晚') return { hour: 18, minute: 0 };
    return { hour: 23, minute: 59 };
  }
  let hour = num(groups.h);
  const minute = groups.half ? 30 : groups.mi === undefined ? 0 : num(groups.mi);
  if (period && ['下午', '傍晚', '晚上'].includes(period) && hour < 12) hour += 12;
  if (period === '中午' && hour < 6) hour += 12;
  if (!(hour >= 0 && hour <= 24 && minute >= 0 && minute < 60) || (hour === 24 && minute > 0)) return 'invalid';
  return { hour, minute };
}

function pastReason(purpose: DeadlineOptions['purpose'], label: string): string {
  return purpose === 'reminder'
    ? `提醒时间（${label}）已过，请给一个以后的时间`
    : `截止日期已过（${label}），请给今天或以后的日期`;
}

/** `6月30日（周二）23:59`, with the year only when it is not the current one. */
export function formatLocalDateTime(at: Date, timeZone: string = DEFAULT_TIME_ZONE, now?: Date): string {
  const p = localParts(at, timeZone);
  const showYear = !now || localParts(now, timeZone).year !== p.year;
  const day = `${showYear ? `${p.year}年` : ''}${p.month}月${p.day}日（周${WEEKDAY_NAMES[p.weekday - 1]}）`;
  return `${day}${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

interface Matched {
  resolution: Resolution;
  time: TimeOfDay | null | 'invalid';
  end: number;
}

function matchAt(text: string, start: number, rule: Rule, context: Context): Matched | null {
  rule.pattern.lastIndex = start;
  const match = rule.pattern.exec(text);
  if (!match) return null;
  const groups = (match.groups ?? {}) as Groups;
  const resolution = rule.resolve(groups, context);
  let end = start + match[0].length;
  let time: Matched['time'] = null;
  const evening = resolution.kind === 'day' && resolution.evening === true;
  if (rule.timed) {
    TIME_OF_DAY.lastIndex = end;
    const timeMatch = TIME_OF_DAY.exec(text);
    if (timeMatch && timeMatch[0].trim() !== '') {
      time = readTime((timeMatch.groups ?? {}) as Groups, evening);
      if (time !== null) end += timeMatch[0].length;
    }
  }
  SUFFIX.lastIndex = end;
  const suffix = SUFFIX.exec(text);
  return { resolution, time, end: end + (suffix ? suffix[0].length : 0) };
}

function settle(matched: Matched, text: string, context: Context, options: DeadlineOptions): DeadlineResult {
  const { resolution, time } = matched;
  if (resolution.kind === 'invalid') return { ok: false, reason: resolution.reason };
  if (time === 'invalid') return { ok: false, reason: `时间不对：「${text}」` };
  const dayTime = options.dayTime ?? { hour: 23, minute: 59, second: 59 };
  let at: Date;
  if (resolution.kind === 'instant') {
    at = resolution.at;
  } else if (time) {
    const { year, month, day } = time.hour === 24 ? addDays(resolution.date, 1) : resolution.date;
    at = zonedTimeToUtc(year, month, day, time.hour % 24, time.minute, context.timeZone);
  } else {
    const { year, month, day } = resolution.date;
    at = zonedTimeToUtc(year, month, day, dayTime.hour, dayTime.minute, context.timeZone, dayTime.second ?? 0);
  }
  const label = formatLocalDateTime(at, context.timeZone, context.now);
  if (at.getTime() <= context.now.getTime()) return { ok: false, reason: pastReason(options.purpose, label) };
  const maxDays = options.maxDays ?? 731;
  if (at.getTime() - context.now.getTime() > maxDays * 86_400_000) {
    return { ok: false, reason: `日期太远了（${label}），请给 ${Math.round(maxDays / 365)} 年以内的日期` };
  }
  const local = localParts(at, context.timeZone);
  return { ok: true, at, text, date: { year: local.year, month: local.month, day: local.day }, label };
}

function contextFor(now: Date, options: DeadlineOptions): Context {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const parts = localParts(now, timeZone);
  return {
    now,
    today: { year: parts.year, month: parts.month, day: parts.day },
    weekday: parts.weekday,
    timeZone,
    rollOverAfterDays: options.rollOverAfterDays ?? 180,
    isWorkingDay: options.isWorkingDay ?? ((date) => weekdayOf(date) <= 5),
  };
}

function normalise(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/**
 * Reads a whole Chinese deadline phrase ("3天内", "下周五", "6月30日前", "2026-12-01", "月底前")
 * relative to `now` in the school's time zone. Date-only phrases mean the end of that local day
 * (options.dayTime). Refuses garbage and instants that are not after `now`, with a Chinese reason.
 */
export function parseDeadline(input: string, now: Date, options: DeadlineOptions = {}): DeadlineResult {
  const text = normalise(input);
  if (text === '') return { ok: false, reason: '请写明日期，例如：明天、3天内、下周五、6月30日' };
  const context = contextFor(now, options);
  PREFIX.lastIndex = 0;
  const start = PREFIX.exec(text)?.[0].length ?? 0;
  for (const rule of RULES) {
    const matched = matchAt(text, start, rule, context);
    if (matched && matched.end === text.length) return settle(matched, text, context, options);
  }
  return {
    ok: false,
    reason: `看不懂日期「${text}」，可以写：今天、明天、3天内、一周内、下周五、月底前、6月30日、2026-12-01`,
  };
}

/**
 * Finds the first date phrase inside free text ("明天下午检查灭火器" → 明天下午). Useful for reminders
 * and deadline hints in reports; returns null when the text holds none.
 */
export function findDeadline(input: string, now: Date, options: DeadlineOptions = {}): FoundDeadline | null {
  const text = normalise(input);
  const context = contextFor(now, options);
  for (let index = 0; index < text.length; index++) {
    if (!PHRASE_START.test(text[index] ?? '') || /\d/.test(text[index - 1] ?? '')) continue;
    for (const rule of RULES) {
      const matched = matchAt(text, index, rule, context);
      if (!matched) continue;
      const phrase = text.slice(index, matched.end).trim();
      return { result: settle(matched, phrase, context, options), text: phrase, index };
    }
  }
  return null;
}
