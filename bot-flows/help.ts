import { z } from 'zod';

export const helpSchema = z.object({
  triggers: z.array(z.string().min(1)).min(1),
  title: z.string().min(1),
  intro: z.string().min(1),
  sections: z.array(z.object({ heading: z.string().min(1), lines: z.array(z.string().min(1)).min(1) })).min(1),
  footer: z.string(),
});

export type HelpContent = z.infer<typeof helpSchema>;

export const defaultHelp: HelpContent = {
  triggers: ['帮助', 'help', '菜单', '?', '？', '怎么用'],
  title: '校安 · 我能做什么',
  intro: '在群里 @我 说出发现的隐患，我会登记成台账并跟进到销号。',
  sections: [
    {
      heading: '上报隐患',
      lines: [
        '@校安 三楼东侧楼梯口堆了旧桌椅，把疏散通道堵了',
        '也可以在消息里带上 #隐患；先发照片再发文字，照片会自动附上',
      ],
    },
    {
      heading: '闭环处理',
      lines: [
        '指派 YH-2026-0001 张三 截止 下周五 措施 清理杂物',
        '整改 YH-2026-0001 已清理（附整改后照片）',
        '复查 YH-2026-0001 通过 ／ 复查 YH-2026-0001 退回 原因',
        '驳回 YH-2026-0001 不属实 ／ 重开 YH-2026-0001 原因 ／ 改级 YH-2026-0001 重大',
      ],
    },
    { heading: '查询', lines: ['查 YH-2026-0001 ／ 我的 ／ 台账 ／ 逾期'] },
    { heading: '家长回执', lines: ['回执 发起 防溺水 截止 6月30日 ／ 回执 进度'] },
  ],
  footer: '按钮和命令效果相同；看不到卡片的平台会收到带签名的网页链接。',
};
