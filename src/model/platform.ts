export const PLATFORMS = ['feishu', 'dingtalk', 'wecom', 'wechaty', 'sandbox'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}
