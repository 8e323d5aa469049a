/**
 * Deadline nags to the owner and the escalation ladder (defaults from DOMAIN.md): overdue ≥ 1 day →
 * safety officer; ≥ 3 days → principal (urgent); ≥ 7 days, or any overdue major hazard → district bureau
 * (urgent). Days are local calendar days, weekends and holidays included (countDays: 'calendar'); set
 * countDays: 'school' to count school days only. How days are counted and when rungs fire is explained
 * in src/domain/escalation/hazard-clock.ts. Texts may use {code} {description} {location} {owner}
 * {deadline} {days} {level}.
 */
import {
  type EscalationPolicy,
  type EscalationPolicyInput,
  escalationPolicySchema,
} from '../src/domain/escalation/ladder.js';
import { parseConfig } from '../src/domain/schedule/config.js';

export const ESCALATION_FILE = 'bot-flows/escalation.ts';

export const escalation = {
  nags: {
    beforeHours: 24,
    overdueAt: '09:00',
    overdueOn: 'every_day',
    messages: {
      before: '隐患 {code}（{location}{description}）将于 {deadline} 到期，请抓紧整改并提交整改照片。',
      due: '隐患 {code}（{location}{description}）已到整改期限 {deadline}，请尽快提交整改结果。',
      overdue: '隐患 {code}（{location}{description}）已逾期 {days} 天，请立即整改；如需延期请联系安全员。',
    },
  },
  escalation: {
    at: '09:00',
    countDays: 'calendar',
    rungs: [
      {
        id: 'safety_officer',
        notify: 'safety_officer',
        urgency: 'normal',
        afterDays: 1,
        message:
          '【逾期督办】隐患 {code}（{location}{description}）已逾期 {days} 天，责任人：{owner}，期限：{deadline}。请督促整改（谁发现、谁督促）。',
      },
      {
        id: 'principal',
        notify: 'principal',
        urgency: 'urgent',
        afterDays: 3,
        message:
          '【逾期升级】{level}隐患 {code}（{location}{description}）已逾期 {days} 天仍未整改，责任人：{owner}。请校长督办。',
      },
      {
        id: 'bureau',
        notify: 'bureau',
        urgency: 'urgent',
        afterDays: 7,
        majorAfterDays: 0,
        message:
          '【挂牌督办】{level}隐患 {code}（{location}{description}）已逾期 {days} 天，责任人：{owner}，期限：{deadline}。请教育局督办。',
      },
    ],
  },
} satisfies EscalationPolicyInput;

/** Validates the policy; throws naming file and field. */
export function loadEscalationLadder(source: unknown = escalation): EscalationPolicy {
  return parseConfig(escalationPolicySchema, source, ESCALATION_FILE);
}
