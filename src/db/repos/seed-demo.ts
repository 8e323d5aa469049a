import { count } from 'drizzle-orm';
import type { Role } from '../schema.js';
import { schools } from '../schema.js';
import type { Db } from '../types.js';
import { addGrant, ensurePersonForAccount } from './identity.js';
import { bindChat, ensureClass, ensureDistrict, ensureSchool } from './org.js';
import { DEMO_PHONE_SALT, seedDemoRoster } from './seed-demo-roster.js';

export const DEMO_SCHOOL_CODE = 'demo';
export const DEMO_CLASSES = ['三年级(1)班', '三年级(2)班', '四年级(1)班'] as const;

interface DemoPerson {
  id: string;
  name: string;
  roles: { role: Role; className?: string }[];
}

export const DEMO_STAFF: DemoPerson[] = [
  { id: 'wang', name: '王老师', roles: [{ role: 'teacher' }] },
  { id: 'li', name: '李老师', roles: [{ role: 'teacher' }, { role: 'class_teacher', className: '三年级(1)班' }] },
  { id: 'zhou', name: '周老师', roles: [{ role: 'teacher' }, { role: 'class_teacher', className: '三年级(2)班' }] },
  { id: 'wu', name: '吴老师', roles: [{ role: 'teacher' }, { role: 'class_teacher', className: '四年级(1)班' }] },
  { id: 'zhang', name: '张主任', roles: [{ role: 'teacher' }, { role: 'safety_officer' }] },
  { id: 'chen', name: '陈校长', roles: [{ role: 'teacher' }, { role: 'principal' }] },
  { id: 'zhao', name: '赵科长（区教育局）', roles: [{ role: 'bureau' }] },
];

export const DEMO_CHATS = [
  { chatId: 'staff', title: '示范小学 · 教师群', kind: 'staff' as const },
  { chatId: 'leaders', title: '示范小学 · 校领导群', kind: 'leaders' as const },
  ...DEMO_CLASSES.map((className, index) => ({
    chatId: `parents-${index + 1}`,
    title: `${className} 家长群`,
    kind: 'class_parents' as const,
    className,
  })),
];

export async function databaseIsEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(schools);
  return Number(row?.n ?? 0) === 0;
}

/**
 * The demo district: one school (code `demo`) with classes, staff with their roles, and sandbox chats.
 * Idempotent: running it twice changes nothing. Students and parents come from the demo roster, whose
 * phone hashes use `secret` (the service secret) when given.
 */
export async function seedDemo(db: Db, options: { secret?: string } = {}): Promise<{ schoolId: string }> {
  return db.transaction(async (tx) => {
    const districtId = await ensureDistrict(tx, 'demo-district', '示范区教育局');
    const schoolId = await ensureSchool(tx, {
      districtId,
      code: DEMO_SCHOOL_CODE,
      name: '示范小学',
      dismissalTime: '15:30',
    });
    const classIds = new Map<string, string>();
    for (const name of DEMO_CLASSES) classIds.set(name, await ensureClass(tx, schoolId, name));
    for (const person of DEMO_STAFF) {
      const { personId } = await ensurePersonForAccount(tx, {
        platform: 'sandbox',
        tenant: '',
        userId: person.id,
        name: person.name,
      });
      for (const grant of person.roles) {
        await addGrant(tx, {
          personId,
          role: grant.role,
          schoolId,
          districtId,
          classId: grant.className ? classIds.get(grant.className)! : null,
        });
      }
    }
    for (const chat of DEMO_CHATS) {
      await bindChat(tx, {
        platform: 'sandbox',
        tenant: '',
        chatId: chat.chatId,
        schoolId,
        classId: 'className' in chat ? classIds.get(chat.className)! : null,
        kind: chat.kind,
        title: chat.title,
      });
    }
    await seedDemoRoster(tx, { schoolId, districtId, classIds, secret: options.secret ?? DEMO_PHONE_SALT });
    return { schoolId };
  });
}
