import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import { openCampaignsOfClass } from '../../db/repos/receipts.js';
import type { ActionAnswer, ActionValue } from '../../model/card.js';
import type { FlowContext, FlowHandler } from '../types.js';
import { FlowRefusal } from '../types.js';
import { bindingCard, type LetterCardInput, letterCard } from './cards.js';
import { receiptConfirmBatch } from './card-confirm-batch.js';
import { bindAndConfirm, confirmAsPerson } from './confirm.js';
import { receiptPageUrl } from './links.js';
import { answerProgress } from './progress.js';
import { startFromChat } from './start-command.js';
import { loadTarget, type ReceiptTarget } from './target.js';

/**
 * 家长回执 in chat: "回执 发起 …" and "回执 进度" from staff, the letter card's one-tap confirmation and
 * binding form, and the keyword confirmation ("确认") where a platform has no cards (Wechaty).
 */

export const RECEIPT_FLOW_PRIORITY = 40;

const START = /^回执\s*(?:发起|新建|创建|开始)/;
const PROGRESS = /^回执\s*进度\s*(\S*)/;
const RECEIPT_WORD = /^回执/;
const USAGE = '回执命令：\n回执 发起 防溺水 截止 6月30日 [班级…]\n回执 进度 [告知书]';

function addressed(ctx: FlowContext): boolean {
  return ctx.event.mentionsBot || ctx.event.chat.type === 'direct' || Boolean(ctx.chat?.listenAll);
}

function cardInput(ctx: FlowContext, target: ReceiptTarget): LetterCardInput {
  const { campaign } = target;
  return {
    letter: target.letter,
    campaignId: campaign.id,
    classId: target.classId,
    className: target.className,
    deadlineLabel: target.deadlineLabel,
    pageUrl: receiptPageUrl(ctx.services.links, campaign.id, target.classId, campaign.deadline),
  };
}

const toast = (type: 'success' | 'info' | 'warning' | 'error', text: string): ActionAnswer => ({
  toast: { type, text },
});

/** A tap on the class group's card where a card in the answer would be redrawn for every family in the group. */
function onSharedGroupCard(ctx: FlowContext): boolean {
  return Boolean(ctx.event.action?.answerRedrawsForAll && ctx.chat);
}

const BINDING_SENT_PRIVATELY =
  '第一次确认需要先核对身份：核对表单已私信发给您，请在与我的私聊中填写（没收到请点卡片上的「在网页中确认」）。';

export function receiptFlow(letters: readonly LetterTemplate[]): FlowHandler {
  async function target(ctx: FlowContext, value: ActionValue): Promise<ReceiptTarget> {
    const loaded = await loadTarget(ctx.db, value.campaign, value.class, ctx.now, letters);
    if (!loaded.ok) throw new FlowRefusal(loaded.reason);
    if (ctx.chat?.kind === 'class_parents' && ctx.chat.classId && ctx.chat.classId !== loaded.target.classId) {
      throw new FlowRefusal('这张回执卡片不是发给本群班级的，请使用本班群里的卡片。');
    }
    return loaded.target;
  }

  async function onConfirm(ctx: FlowContext, value: ActionValue): Promise<ActionAnswer> {
    const found = await target(ctx, value);
    const outcome = await confirmAsPerson(ctx.db, found, ctx.actor.personId, 'card', ctx.now);
    if (outcome.kind === 'confirmed') return toast('success', outcome.text);
    if (outcome.kind === 'other_class') return toast('warning', outcome.text);
    const form = bindingCard(cardInput(ctx, found));
    if (onSharedGroupCard(ctx)) {
      // Redrawn in place, the form would replace the letter card for the whole group until someone passes.
      await ctx.send({
        target: { platform: ctx.event.platform, tenant: ctx.event.tenant, userId: ctx.actor.platformUserId },
        body: { type: 'card', card: form },
        urgency: 'normal',
        // One form per parent and campaign: tapping the group card again does not stack up private cards.
        idempotencyKey: `receipt:${found.campaign.id}:bind-form:${ctx.event.platform}:${ctx.event.tenant}:${ctx.actor.platformUserId}`,
      });
      return toast('info', BINDING_SENT_PRIVATELY);
    }
    return {
      toast: { type: 'info', text: '第一次确认，请先核对身份：填写孩子姓名和登记手机号后 4 位。' },
      card: form,
    };
  }

  async function onBind(ctx: FlowContext, value: ActionValue, form: Record<string, string>): Promise<ActionAnswer> {
    const found = await target(ctx, value);
    const identity = {
      platform: ctx.event.platform,
      tenant: ctx.event.tenant,
      userId: ctx.actor.platformUserId,
      name: ctx.actor.name,
      personId: ctx.actor.personId,
    };
    const answer = { studentName: form.studentName ?? '', phoneDigits: form.phoneDigits ?? '' };
    const result = await bindAndConfirm(ctx.db, found, identity, answer, ctx.now);
    const input = cardInput(ctx, found);
    // Failures are answered, not thrown: the attempt counter must commit.
    if (!result.ok) {
      if (onSharedGroupCard(ctx)) return toast('warning', result.reason);
      return { toast: { type: 'warning', text: result.reason }, card: bindingCard(input, result.reason) };
    }
    return { toast: { type: 'success', text: result.text }, card: letterCard({ ...input, letter: found.letter }) };
  }

  /** A parent typed 确认 in a class group: confirm the class's newest open campaign, or say how to. */
  async function onKeyword(ctx: FlowContext): Promise<ActionAnswer> {
    const chat = ctx.chat;
    if (chat?.kind !== 'class_parents' || !chat.classId) return toast('info', '这个群没有绑定班级。');
    const [campaign] = await openCampaignsOfClass(ctx.db, chat.classId, ctx.now);
    if (!campaign) return toast('info', '本班目前没有需要确认的回执。');
    const found = await target(ctx, { flow: 'receipt', op: 'confirm', campaign: campaign.id, class: chat.classId });
    const outcome = await confirmAsPerson(ctx.db, found, ctx.actor.personId, 'keyword', ctx.now);
    const say = async (kind: string, text: string) =>
      ctx.send({
        target: { platform: ctx.event.platform, tenant: ctx.event.tenant, chatId: ctx.event.chat.id },
        body: { type: 'text', text, mentionUserIds: [ctx.actor.platformUserId] },
        urgency: 'normal',
        // Once per parent and campaign: "收到" typed under every notice must not flood the group.
        idempotencyKey: `receipt:${campaign.id}:${kind}:${ctx.event.platform}:${ctx.event.tenant}:${ctx.actor.platformUserId}`,
      });
    if (outcome.kind === 'confirmed') {
      if (outcome.newCount > 0) await say('keyword-ok', `已收到，《${found.letter.title}》回执已确认，感谢配合！`);
      return toast('success', outcome.text);
    }
    if (outcome.kind === 'other_class') {
      await say('keyword-other', outcome.text);
      return toast('warning', outcome.text);
    }
    const url = cardInput(ctx, found).pageUrl;
    const text = `第一次确认需要核对身份：请打开链接，填写孩子姓名和登记手机号后 4 位，完成《${found.letter.title}》回执：${url}`;
    await say('keyword-howto', text);
    return toast('info', text);
  }

  return {
    name: 'receipt',
    priority: RECEIPT_FLOW_PRIORITY,
    async onMessage(ctx) {
      if (!addressed(ctx) || !RECEIPT_WORD.test(ctx.text)) return false;
      if (START.test(ctx.text)) {
        await startFromChat(ctx, letters);
        return true;
      }
      const progress = PROGRESS.exec(ctx.text);
      if (progress) {
        await answerProgress(ctx, letters, progress[1] || undefined);
        return true;
      }
      await ctx.reply(USAGE);
      return true;
    },
    batchActions: receiptConfirmBatch(),
    async onAction(ctx, value, form) {
      if (value.op === 'confirm') return onConfirm(ctx, value);
      if (value.op === 'bind') return onBind(ctx, value, form);
      if (value.op === 'confirm_keyword') return onKeyword(ctx);
      return toast('error', '这个按钮已失效，请重新打开卡片。');
    },
  };
}
