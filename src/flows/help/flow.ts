import type { HelpContent } from '../../../bot-flows/help.js';
import type { FlowHandler } from '../types.js';
import { helpCard } from './card.js';

/** `@bot 帮助` / `help`: the card listing what the bot can do; also the answer to unknown addressed text. */
export function helpFlow(content: HelpContent): FlowHandler {
  const triggers = new Set(content.triggers.map((trigger) => trigger.toLowerCase()));
  return {
    name: 'help',
    priority: 10,
    async onMessage(ctx) {
      if (!triggers.has(ctx.text.toLowerCase())) return false;
      await ctx.reply({ type: 'card', card: helpCard(content) });
      return true;
    },
    async onAction(ctx, value) {
      if (value.op === 'show') return { toast: { type: 'info', text: '已刷新' }, card: helpCard(content) };
      return { toast: { type: 'info', text: `${ctx.actor.name}，发送「我的」查看你负责的隐患。` } };
    },
  };
}

/** Runs last: addressed text nobody understood gets a short pointer to the help card, never silence. */
export function fallbackFlow(): FlowHandler {
  return {
    name: 'fallback',
    priority: 1000,
    async onMessage(ctx) {
      const addressed = ctx.event.mentionsBot || ctx.event.chat.type === 'direct';
      if (!addressed || ctx.text.length === 0) return false;
      await ctx.reply('没有看懂这条消息。发送「帮助」查看我能做什么；上报隐患请直接描述地点和问题。');
      return true;
    },
  };
}
