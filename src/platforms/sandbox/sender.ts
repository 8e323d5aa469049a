import type { SandboxStore } from '../../db/repos/sandbox.js';
import { directChatId } from '../../db/repos/sandbox.js';
import type { PlatformSender } from '../../delivery/sender.js';

/** Delivers outbox rows into the sandbox chats; generous limits so local fan-outs stay quick. */
export function createSandboxSender(store: SandboxStore): PlatformSender {
  return {
    platform: 'sandbox',
    bucketsFor: (target) => [{ key: `sandbox:chat:${target.chatId ?? target.userId}`, ratePerSecond: 50, burst: 50 }],
    async send(delivery) {
      const chat = delivery.target.chatId ?? directChatId(delivery.target.userId!);
      const { body } = delivery;
      const message = await store.postBotMessage({
        chat,
        text: body.type === 'text' ? body.text : null,
        card: body.type === 'card' ? body.card : null,
        replyTo: delivery.replyTo ?? null,
        urgent: delivery.urgency === 'urgent' ? (delivery.target.userId ?? 'chat') : null,
      });
      return { ok: true, platformMessageId: message.id };
    },
  };
}
