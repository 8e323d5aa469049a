import { ensureDistrict, ensureSchool } from '../../src/db/repos/org.js';
import { hazardEvents, hazards, people } from '../../src/db/schema.js';
import type { Db } from '../../src/db/types.js';
import type { Attachment } from '../../src/model/inbound.js';

/** Shanghai wall time → instant. */
export const at = (local: string) => new Date(`${local}+08:00`);

type HazardInsert = typeof hazards.$inferInsert;

interface EventInput {
  at: string;
  actorId: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  note?: string;
  detail?: Record<string, unknown>;
  attachments?: Attachment[];
}

async function person(db: Db, name: string): Promise<string> {
  const [row] = await db.insert(people).values({ name }).returning({ id: people.id });
  return row!.id;
}

async function hazard(db: Db, values: HazardInsert, events: EventInput[]): Promise<string> {
  const [row] = await db.insert(hazards).values(values).returning({ id: hazards.id });
  for (const event of events) {
    await db.insert(hazardEvents).values({
      hazardId: row!.id,
      at: at(event.at),
      actorId: event.actorId,
      action: event.action,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      note: event.note ?? null,
      detail: event.detail ?? {},
      attachments: event.attachments ?? [],
    });
  }
  return row!.id;
}

/**
 * Two schools of district `ledger-d` (一中 `ledger-a` with five hazards across every status, 二小
 * `ledger-b` with one) and 三中 `other-c` in another district, written straight through drizzle.
 *
 * 一中 in October 2026: carried over 0001; new 0002 (major, overdue from 10-20), 0003 (dismissed),
 * 0004 (closed 11-03), 0005 (still 登记) → closed 1, dismissed 1, open 3, overdue 1, rate 1/5.
 */
export async function seedLedger(db: Db) {
  const districtId = await ensureDistrict(db, 'ledger-d', '测试区教育局');
  const otherDistrictId = await ensureDistrict(db, 'other-d', '别区教育局');
  const schoolA = await ensureSchool(db, { districtId, code: 'ledger-a', name: '测试一中' });
  const schoolB = await ensureSchool(db, { districtId, code: 'ledger-b', name: '测试二小' });
  const schoolC = await ensureSchool(db, { districtId: otherDistrictId, code: 'other-c', name: '别区三中' });
  const wang = await person(db, '王老师');
  const liu = await person(db, '刘师傅');
  const zhang = await person(db, '张主任');
  const chen = await person(db, '陈校长');

  const h1 = await hazard(
    db,
    {
      schoolId: schoolA,
      code: 'YH-2026-0001',
      status: 'closed',
      category: 'fire',
      level: 'general',
      location: '三楼东侧楼梯',
      description: '灭火器压力不足',
      reporterId: wang,
      reportedAt: at('2026-09-20T08:05:00'),
      ownerId: liu,
      deadline: at('2026-10-10T23:59:59'),
      measures: '更换灭火器',
      funds: '300元',
      interimPlan: '临时调配两具灭火器',
      fixedAt: at('2026-10-08T16:00:00'),
      fixedBy: liu,
      fixNote: '已更换',
      verifiedAt: at('2026-10-09T09:30:00'),
      verifiedBy: zhang,
      verifyResult: 'passed',
      closedAt: at('2026-10-09T09:30:00'),
    },
    [
      {
        at: '2026-09-20T08:05:00',
        actorId: wang,
        action: 'report',
        fromStatus: null,
        toStatus: 'reported',
        note: '灭火器压力不足',
        attachments: [{ kind: 'image', key: 'img_report_1', url: 'https://files.example/report-1.jpg' }],
      },
      {
        at: '2026-09-20T10:00:00',
        actorId: zhang,
        action: 'assign',
        fromStatus: 'reported',
        toStatus: 'rectifying',
        detail: {
          ownerId: liu,
          deadline: at('2026-10-10T23:59:59').toISOString(),
          measures: '更换灭火器',
          funds: '300元',
          interimPlan: '临时调配两具灭火器',
        },
      },
      {
        at: '2026-10-08T16:00:00',
        actorId: liu,
        action: 'submit_fix',
        fromStatus: 'rectifying',
        toStatus: 'verifying',
        note: '已更换',
        detail: { photoCount: 1 },
        attachments: [{ kind: 'image', key: 'img_fix_1' }],
      },
      {
        at: '2026-10-09T09:30:00',
        actorId: zhang,
        action: 'accept',
        fromStatus: 'verifying',
        toStatus: 'closed',
        detail: { photoCount: 1, closedByReason: false },
      },
    ],
  );

  await hazard(
    db,
    {
      schoolId: schoolA,
      code: 'YH-2026-0002',
      status: 'rectifying',
      category: 'facility',
      level: 'major',
      location: '食堂后厨',
      description: '燃气管道接口有气味',
      reporterId: wang,
      reportedAt: at('2026-10-03T09:00:00'),
      ownerId: liu,
      deadline: at('2026-10-20T23:59:59'),
      measures: '更换管道',
      funds: '5000元',
      interimPlan: '关闭总阀，暂停使用',
      supervised: true,
    },
    [
      { at: '2026-10-03T09:00:00', actorId: wang, action: 'report', fromStatus: null, toStatus: 'reported' },
      {
        at: '2026-10-03T11:00:00',
        actorId: chen,
        action: 'assign',
        fromStatus: 'reported',
        toStatus: 'rectifying',
        detail: { ownerId: liu, deadline: at('2026-10-20T23:59:59').toISOString() },
      },
    ],
  );

  await hazard(
    db,
    {
      schoolId: schoolA,
      code: 'YH-2026-0003',
      status: 'dismissed',
      category: 'building',
      level: 'general',
      location: '操场围墙',
      description: '围墙有裂缝',
      reporterId: wang,
      reportedAt: at('2026-10-15T14:00:00'),
      dismissReason: '不属实：是伸缩缝',
    },
    [
      { at: '2026-10-15T14:00:00', actorId: wang, action: 'report', fromStatus: null, toStatus: 'reported' },
      {
        at: '2026-10-16T09:00:00',
        actorId: zhang,
        action: 'dismiss',
        fromStatus: 'reported',
        toStatus: 'dismissed',
        note: '不属实：是伸缩缝',
      },
    ],
  );

  await hazard(
    db,
    {
      schoolId: schoolA,
      code: 'YH-2026-0004',
      status: 'closed',
      category: 'security',
      level: 'general',
      location: '东门',
      description: '门禁损坏',
      reporterId: wang,
      reportedAt: at('2026-10-28T10:00:00'),
      ownerId: liu,
      deadline: at('2026-11-05T23:59:59'),
      fixedAt: at('2026-11-02T10:00:00'),
      fixedBy: liu,
      verifiedAt: at('2026-11-03T10:00:00'),
      verifiedBy: zhang,
      verifyResult: 'passed',
      closedAt: at('2026-11-03T10:00:00'),
    },
    [
      { at: '2026-10-28T10:00:00', actorId: wang, action: 'report', fromStatus: null, toStatus: 'reported' },
      {
        at: '2026-10-28T11:00:00',
        actorId: zhang,
        action: 'assign',
        fromStatus: 'reported',
        toStatus: 'rectifying',
        detail: { ownerId: liu, deadline: at('2026-11-05T23:59:59').toISOString() },
      },
      {
        at: '2026-11-02T10:00:00',
        actorId: liu,
        action: 'submit_fix',
        fromStatus: 'rectifying',
        toStatus: 'verifying',
        attachments: [{ kind: 'image', key: 'img_fix_4' }],
      },
      { at: '2026-11-03T10:00:00', actorId: zhang, action: 'accept', fromStatus: 'verifying', toStatus: 'closed' },
    ],
  );

  await hazard(
    db,
    {
      schoolId: schoolA,
      code: 'YH-2026-0005',
      status: 'reported',
      category: 'fire',
      level: 'general',
      location: '二楼配电间',
      description: '插线板串接',
      reporterId: wang,
      reportedAt: at('2026-10-30T16:00:00'),
    },
    [{ at: '2026-10-30T16:00:00', actorId: wang, action: 'report', fromStatus: null, toStatus: 'reported' }],
  );

  await hazard(
    db,
    {
      schoolId: schoolB,
      code: 'YH-2026-0001',
      status: 'closed',
      category: 'fire',
      level: 'general',
      location: '一楼走廊',
      description: '应急灯不亮',
      reporterId: wang,
      reportedAt: at('2026-10-05T09:00:00'),
      fixedAt: at('2026-10-05T15:00:00'),
      fixedBy: liu,
      verifiedAt: at('2026-10-06T09:00:00'),
      verifiedBy: zhang,
      verifyResult: 'passed',
      closedAt: at('2026-10-06T09:00:00'),
    },
    [
      { at: '2026-10-05T09:00:00', actorId: wang, action: 'report', fromStatus: null, toStatus: 'reported' },
      { at: '2026-10-05T15:00:00', actorId: liu, action: 'fix_on_spot', fromStatus: 'reported', toStatus: 'verifying' },
      { at: '2026-10-06T09:00:00', actorId: zhang, action: 'accept', fromStatus: 'verifying', toStatus: 'closed' },
    ],
  );

  await hazard(
    db,
    {
      schoolId: schoolC,
      code: 'YH-2026-0001',
      status: 'reported',
      category: 'other',
      level: 'general',
      location: '别校',
      description: '别区学校的隐患',
      reporterId: wang,
      reportedAt: at('2026-10-07T09:00:00'),
    },
    [{ at: '2026-10-07T09:00:00', actorId: wang, action: 'report', fromStatus: null, toStatus: 'reported' }],
  );

  return { districtId, otherDistrictId, schoolA, schoolB, schoolC, h1 };
}
