import { z } from 'zod';

/**
 * What the bot says in the hazard-ledger chat flows. `{name}` placeholders are filled in by the flow;
 * a district may reword any line (every key must stay present and non-empty).
 */
export const defaultHazardReplies = {
  bindDirect:
    '你还没有绑定学校教职工身份，暂时不能上报或处理隐患。请联系学校安全员为你开通，或在已绑定的学校教师群里 @校安 发言（群成员自动登记为教师）。',
  unboundGroup:
    '本群还没有绑定学校，不能登记或处理隐患。请学校管理员先绑定本群（命令：xiaoan chat bind --kind staff）。',
  parentsGroup: '家长群里不能处理隐患台账，请在学校教师群或与校安的私聊中操作。',
  multiSchool: '你在多所学校任职，请在对应学校的教师群里发送这条命令。',
  tooLong: '消息太长了（{length} 字），我最多读 {max} 字。请只写隐患的地点和问题，或分几条发送。',
  emptyReport:
    '请描述发现的隐患，例如：@校安 三楼东侧楼梯口的灭火器压力不足（可以附上照片）。发送「帮助」查看全部命令。',
  unknownCode: '找不到隐患 {code}，请核对编号（发送「台账」查看本校在办隐患）。',
  registered: '已登记隐患 {code}（{level}）：{summary}。发送「查 {code}」查看详情。',
  registeredMajor: '已挂牌督办并通知校长；进入整改前须落实五落实（责任人、措施、资金、时限、预案）。',
  alreadyRegistered: '已登记为 {code}，无需重复确认。',
  draftCancelled: '已取消这条隐患报告。',
  draftAlreadyCancelled: '这条报告已取消，如需登记请重新上报。',
  draftMerged: '已补充到 {code}，不再另建记录。',
  draftMissing: '这条报告已失效，请重新上报。',
  draftNotYours: '只有上报人、安全员或校长可以确认、修改或取消这条报告。',
  mergeClosed: '{code} 已{status}，不能再补充；如确属新问题，请点「仍然新建」。',
  photosAttached: '已把 {count} 张照片附到待确认的隐患报告（共 {total} 张），确认时一并登记。',
  photoKept: '已收到照片。{minutes} 分钟内发送隐患的文字描述，照片会一并附上。',
  formDescription: '请填写隐患描述（不超过 {max} 字）。',
  formCategory: '请选择隐患类别。',
  formLevel: '请选择隐患等级。',
  formLocation: '部位太长了，请控制在 {max} 字以内。',
  formVerdict: '请选择复查结果：通过 或 退回。',
  formOwner: '请填写整改责任人（姓名或 @某人）。',
  formReason: '退回整改须写明原因。',
  assigned: '{code} 已指派给 {owner}，整改时限 {deadline}。',
  fixSubmitted: '{code} 已提交整改，等待复查（由发现人、安全员或校长复查，整改提交人不能复查）。',
  closed: '{code} 复查通过，已销号。',
  rejected: '{code} 复查未通过，已退回：{reason}',
  dismissed: '{code} 已驳回：{reason}',
  reopened: '{code} 已重开（第 {cycle} 次）：{reason}',
  levelChanged: '{code} 已调整为{level}。',
  levelMissingFive: '请尽快补齐五落实，还缺：{missing}。例如：指派 {code} @责任人 截止 … 措施 … 资金 … 预案 …',
  ownerNotFound: '找不到「{name}」，请 @ 对方或写全名（须为本校教职工）。',
  ownerAmbiguous: '本校有多位「{name}」，请直接 @ 对方。',
  notifyAssigned:
    '你被指派整改 {code}：{summary}\n整改时限：{deadline}{extra}\n完成后发送「整改 {code} 整改情况」并附整改后照片。',
  notifyVerify: '{code} 已由 {actor} 提交整改：{note}\n请复查：复查 {code} 通过 ／ 复查 {code} 退回 原因',
  notifyClosed: '{code} 已由 {actor} 复查通过并销号。',
  notifyRejected: '{code} 被 {actor} 退回：{reason}',
  notifyDismissed: '{code} 已被 {actor} 驳回：{reason}',
  notifyReopened: '{code} 已被 {actor} 重开：{reason}',
  notifySupplement: '{code} 有新的补充信息（{actor}）：{note}',
  majorCreated: '{school} 新登记重大隐患 {code}，已挂牌督办。请组织落实五落实（责任人、措施、资金、时限、预案）。',
  majorRaised: '{actor} 将 {code} 调整为重大隐患，已挂牌督办。请组织落实五落实（责任人、措施、资金、时限、预案）。',
  listMore: '仅显示最新 {shown} 条，共 {total} 条。发送「查 编号」查看详情。',
  incidentAlert:
    '{school} 发生事故 {code}：{description}\n上报人：{reporter}\n请在 {due} 前完成首报（{minutes} 分钟内）。',
  firstReportDone: '{code} 已记录首报（{actor}，用时 {minutes} 分钟）。',
  firstReportAlready: '{code} 已于 {at} 完成首报。',
  firstReportNotAllowed: '只有上报人、安全员或校长可以记录首报。',
} as const;

export type HazardReplyKey = keyof typeof defaultHazardReplies;
export type HazardReplies = Record<HazardReplyKey, string>;

export const hazardRepliesSchema = z.strictObject(
  Object.fromEntries(Object.keys(defaultHazardReplies).map((key) => [key, z.string().trim().min(1)])) as {
    [K in HazardReplyKey]: z.ZodString;
  },
);
