/** The school slot a reminder card's buttons carry: `<programme>:school:<schoolId>:<YYYY-MM-DD>`. */
import { isIsoDate } from '../../domain/calendar/civil-date.js';

export interface SchoolSlot {
  programme: string;
  schoolId: string;
  day: string;
}

const SLOT = /^([a-z][a-z0-9_]*):school:([0-9a-f-]{36}):(\d{4}-\d{2}-\d{2})$/;

export function parseSchoolSlot(key: unknown): SchoolSlot | null {
  if (typeof key !== 'string') return null;
  const match = SLOT.exec(key);
  if (!match || !isIsoDate(match[3]!)) return null;
  return { programme: match[1]!, schoolId: match[2]!, day: match[3]! };
}
