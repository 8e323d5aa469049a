import type { ActionValue } from './card.js';
import type { Platform } from './platform.js';

export interface Attachment {
  kind: 'image' | 'file';
  /** Platform file key (Feishu image_key, DingTalk downloadCode, WeCom media url …). */
  key: string;
  url?: string;
  name?: string;
}

/** A platform event after verification and parsing: the only shape flows ever see. */
export interface InboundEvent {
  /** Platform event id: the dedupe key. */
  id: string;
  /** Further keys that identify the same delivery (Feishu message_id beside event_id). */
  extraDedupeKeys?: string[];
  platform: Platform;
  /** App / corp / robot the event came through ('' when the platform has one tenant). */
  tenant: string;
  kind: 'message' | 'action' | 'join' | 'leave';
  chat: { id: string; type: 'group' | 'direct' };
  actor: { platformUserId: string; name?: string };
  text: string;
  mentionsBot: boolean;
  attachments: Attachment[];
  action?: {
    value: ActionValue;
    form?: Record<string, string>;
    messageId?: string;
    /**
     * A card in the answer redraws the card for everyone who sees it (Feishu's JSON 2.0 cards are shared), not
     * only for the clicker: a flow then sends anything personal privately instead.
     */
    answerRedrawsForAll?: boolean;
  };
  receivedAt: Date;
  /** Platform message id of the inbound message, for threaded replies. */
  messageId?: string;
  /** Short-lived reply channel some platforms hand out (DingTalk sessionWebhook). */
  replyChannel?: { url: string; expiresAt: Date };
  raw: unknown;
}
