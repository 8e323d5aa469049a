import type { HazardLevel, HazardStatus, Role } from './types.js';

/** Chinese names shown to chat users and in the ledger. */
export const STATUS_LABELS: Record<HazardStatus, string> = {
  reported: '登记',
  rectifying: '整改中',
  verifying: '待复查',
  closed: '已销号',
  dismissed: '已驳回',
};

export const LEVEL_LABELS: Record<HazardLevel, string> = {
  general: '一般隐患',
  major: '重大隐患',
};

export const ROLE_LABELS: Record<Role, string> = {
  teacher: '教师',
  class_teacher: '班主任',
  safety_officer: '安全员',
  principal: '校长',
  bureau: '教育局',
  parent: '家长',
};

/** Joins names the way a Chinese sentence lists alternatives: 甲、乙或丙. */
export function joinAlternatives(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join('、')}或${names[names.length - 1]}`;
}
