import { and, eq } from 'drizzle-orm';
import { parseRoster } from '../../domain/roster/parse.js';
import { hashPhone } from '../../domain/roster/phone.js';
import { guardians } from '../schema.js';
import type { Db } from '../types.js';
import { addGrant, ensurePersonForAccount } from './identity.js';
import { importRoster } from './roster.js';

/**
 * The demo roster: ten students in each demo class with a father and a mother each (fictional numbers),
 * 刘小雨 (三(1)) and 刘小雷 (三(2)) as siblings sharing their parents, and two sandbox parent personas:
 * 刘妈妈 (`liu-mama`), already bound, confirms with one tap in parents-1 and parents-2; 孙爸爸
 * (`sun-baba`) is not bound yet and answers the binding form with 孙小杰 / 1010.
 */

const CLASS_STUDENTS: [string, string[]][] = [
  ['三年级(1)班', ['刘小雨', '孙小杰', '王一鸣', '陈思远', '赵雨涵', '周子轩', '吴欣怡', '郑浩然', '冯佳琪', '何俊熙']],
  ['三年级(2)班', ['刘小雷', '马晓彤', '林宇航', '黄诗琪', '罗梓豪', '高雅婷', '梁博文', '宋可欣', '唐嘉怡', '韩子墨']],
  ['四年级(1)班', ['许天佑', '邓雨桐', '曹明哲', '彭欣妍', '曾俊杰', '萧若曦', '田浩宇', '董诗涵', '袁一诺', '蒋沐阳']],
];
const FATHER_NAMES = ['建国', '志强', '海涛', '伟', '军', '磊', '勇', '斌', '杰', '涛'];
const MOTHERS = ['王秀英', '李丽', '张敏', '赵静', '孙芳', '周娟', '吴艳', '郑霞', '钱玲', '冯红'];

/** 139/138 0000 <class><student><0 father | 1 mother>: last four digits are class, student, parent. */
export function demoPhone(classNo: number, studentNo: number, mother: boolean): string {
  return `13${mother ? 8 : 9}0000${classNo}${String(studentNo).padStart(2, '0')}${mother ? 1 : 0}`;
}

/** Without the service secret the demo hashes phones with this salt (documented in the README). */
export const DEMO_PHONE_SALT = 'xiaoan-demo-roster';

export const DEMO_PARENTS = [
  {
    id: 'liu-mama',
    name: '刘妈妈',
    phone: demoPhone(1, 0, true),
    classes: ['三年级(1)班', '三年级(2)班'],
    bound: true,
  },
  { id: 'sun-baba', name: '孙爸爸', phone: demoPhone(1, 1, false), classes: ['三年级(1)班'], bound: false },
] as const;

function demoRows(): string[][] {
  const rows = [['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号']];
  CLASS_STUDENTS.forEach(([className, names], classIndex) => {
    names.forEach((name, index) => {
      const surname = name[0]!;
      // The 刘 siblings share their parents: 刘小雷 uses 刘小雨's numbers.
      const [phoneClass, phoneStudent] = name === '刘小雷' ? [1, 0] : [classIndex + 1, index];
      const studentNo = `20230${classIndex + 1}${String(index + 1).padStart(2, '0')}`;
      rows.push([
        className,
        name,
        studentNo,
        `${surname}${FATHER_NAMES[index]}`,
        '父亲',
        demoPhone(phoneClass, phoneStudent, false),
      ]);
      rows.push([
        className,
        name,
        studentNo,
        MOTHERS[phoneStudent]!,
        '母亲',
        demoPhone(phoneClass, phoneStudent, true),
      ]);
    });
  });
  return rows;
}

export async function seedDemoRoster(
  db: Db,
  input: { schoolId: string; districtId: string; classIds: Map<string, string>; secret: string },
): Promise<void> {
  const parsed = parseRoster(demoRows());
  await importRoster(db, { schoolId: input.schoolId, ...parsed, secret: input.secret });
  for (const parent of DEMO_PARENTS) {
    const { personId } = await ensurePersonForAccount(db, {
      platform: 'sandbox',
      tenant: '',
      userId: parent.id,
      name: parent.name,
    });
    for (const className of parent.classes) {
      await addGrant(db, {
        personId,
        role: 'parent',
        schoolId: input.schoolId,
        districtId: input.districtId,
        classId: input.classIds.get(className)!,
      });
    }
    if (!parent.bound) continue;
    await db
      .update(guardians)
      .set({ personId })
      .where(
        and(eq(guardians.schoolId, input.schoolId), eq(guardians.phoneHash, hashPhone(parent.phone, input.secret))),
      );
  }
}
