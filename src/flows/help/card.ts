import type { HelpContent } from '../../../bot-flows/help.js';
import type { Card } from '../../model/card.js';

export function helpCard(content: HelpContent): Card {
  return {
    title: content.title,
    tone: 'info',
    blocks: [
      { type: 'markdown', text: content.intro },
      ...content.sections.map((section) => ({
        type: 'markdown' as const,
        text: `**${section.heading}**\n${section.lines.map((line) => `- ${line}`).join('\n')}`,
      })),
    ],
    buttons: [
      { id: 'help-mine', label: '我的待办', style: 'primary', value: { flow: 'help', op: 'mine' } },
      { id: 'help-refresh', label: '再看一遍', style: 'default', value: { flow: 'help', op: 'show' } },
    ],
    footer: content.footer,
  };
}
