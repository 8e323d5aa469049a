import type { SignedLinks } from '../../../http/signed-links.js';
import type { ActionAnswer, Card, Tone } from '../../../model/card.js';
import type { InboundEvent } from '../../../model/inbound.js';
import { type TemplateCard, cardToTemplateCard } from '../render.js';

/**
 * How the AI bot answers a card click (aibot_respond_update_msg, within 5 s). A group card is shared, so whose view
 * changes depends on the answer:
 * - a card without a form is the new state of the shared card (a registered hazard): everyone sees it;
 * - a card with a form asks the clicker for something (a binding form): only the clicker sees it, which also makes
 *   links signed for the clicker safe to show;
 * - a toast alone is private feedback: the clicker's view becomes a notice with the toast text, since the AI bot
 *   has no toast of its own and a click without any update looks as if nothing happened.
 */

export interface ClickUpdate {
  card: TemplateCard;
  /** Absent: replace the card for everyone in the chat. */
  userids?: string[];
}

export interface ClickUpdateContext {
  links: SignedLinks;
  tenant: string;
  now: Date;
}

const TOAST_TITLE: Record<NonNullable<ActionAnswer['toast']>['type'], { title: string; tone: Tone }> = {
  success: { title: '操作成功', tone: 'success' },
  info: { title: '提示', tone: 'info' },
  warning: { title: '请注意', tone: 'warning' },
  error: { title: '操作未完成', tone: 'danger' },
};

function toastCard(toast: NonNullable<ActionAnswer['toast']>): Card {
  const { title, tone } = TOAST_TITLE[toast.type];
  return { title, tone, blocks: [{ type: 'markdown', text: toast.text }], buttons: [] };
}

export function clickUpdate(
  answer: ActionAnswer,
  click: { event: InboundEvent; taskId: string },
  ctx: ClickUpdateContext,
): ClickUpdate | null {
  const { chat, actor } = click.event;
  const clicker = actor.platformUserId;
  const personal = !answer.card || Boolean(answer.card.form);
  const card = answer.card ?? (answer.toast ? toastCard(answer.toast) : undefined);
  if (!card) return null;
  const rendered = cardToTemplateCard(
    card,
    {
      links: ctx.links,
      tenant: ctx.tenant,
      chatId: chat.type === 'group' ? chat.id : '',
      ...(personal || chat.type === 'direct' ? { actorUserId: clicker } : {}),
      now: ctx.now,
    },
    { allowCallbacks: true, taskId: click.taskId, linklessNotice: true },
  );
  if (!rendered) return null;
  return personal && chat.type === 'group' ? { card: rendered, userids: [clicker] } : { card: rendered };
}
