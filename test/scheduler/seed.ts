import { addGrant, ensurePersonForAccount } from '../../src/db/repos/identity.js';
import { bindChat, ensureClass, ensureDistrict, ensureSchool } from '../../src/db/repos/org.js';
import type { Db } from '../../src/db/types.js';

export interface SeededSchool {
  id: string;
  code: string;
  staffChat: string;
  teachers: string[];
}

/**
 * Schools of a test district, each with a staff group and class teachers with sandbox accounts
 * (`t-<school>-<n>`). `timezone` lets a test plant a broken school.
 */
export async function seedSchools(
  db: Db,
  count: number,
  options: { prefix?: string; teachersPerSchool?: number; timezone?: string } = {},
): Promise<SeededSchool[]> {
  const prefix = options.prefix ?? 's';
  const districtId = await ensureDistrict(db, `${prefix}-district`, '测试区教育局');
  const seeded: SeededSchool[] = [];
  for (let n = 1; n <= count; n++) {
    const code = `${prefix}${n}`;
    const id = await ensureSchool(db, {
      districtId,
      code,
      name: `测试学校${n}`,
      ...(options.timezone ? { timezone: options.timezone } : {}),
    });
    const staffChat = `staff-${code}`;
    await bindChat(db, {
      platform: 'sandbox',
      tenant: '',
      chatId: staffChat,
      schoolId: id,
      classId: null,
      kind: 'staff',
    });
    const teachers: string[] = [];
    for (let t = 1; t <= (options.teachersPerSchool ?? 2); t++) {
      const classId = await ensureClass(db, id, `${t}班`);
      const userId = `t-${code}-${t}`;
      const { personId } = await ensurePersonForAccount(db, {
        platform: 'sandbox',
        tenant: '',
        userId,
        name: `老师${t}`,
      });
      await addGrant(db, { personId, role: 'class_teacher', schoolId: id, districtId, classId });
      teachers.push(userId);
    }
    seeded.push({ id, code, staffChat, teachers });
  }
  return seeded;
}
