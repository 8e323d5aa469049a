import { checkPermission } from '../../../domain/hazard/index.js';
import { type HazardList, listMyHazards, listOpenHazards, listOverdueHazards } from '../../../db/repos/hazard-lists.js';
import type { Card } from '../../../model/card.js';
import type { FlowContext } from '../../types.js';
import { FlowRefusal } from '../../types.js';
import { listCard } from '../cards/list-card.js';
import type { HazardDeps } from '../deps.js';
import { say } from '../replies.js';
import type { HazardScope } from '../scope.js';

export type ListKind = 'mine' | 'ledger' | 'overdue';

const TITLES: Record<ListKind, { title: string; empty: string }> = {
  mine: { title: '我的待办隐患', empty: '你没有待办的隐患。' },
  ledger: { title: '本校在办隐患', empty: '本校暂无在办隐患。' },
  overdue: { title: '逾期未整改隐患', empty: '没有逾期的隐患。' },
};

function load(ctx: FlowContext, deps: HazardDeps, scope: HazardScope, kind: ListKind): Promise<HazardList> {
  const limit = deps.settings.listLimit;
  switch (kind) {
    case 'mine':
      return listMyHazards(ctx.db, scope.schoolId, scope.actor.personId, limit);
    case 'ledger':
      return listOpenHazards(ctx.db, scope.schoolId, limit);
    case 'overdue':
      return listOverdueHazards(ctx.db, scope.schoolId, ctx.now, limit);
  }
}

/** 我的 (owner or reporter), 台账 (all open) and 逾期 (past deadline): newest first, capped, counted. */
export async function listHazards(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  kind: ListKind,
): Promise<Card> {
  const verdict = checkPermission(deps.policy, kind === 'mine' ? 'view' : 'ledger', scope.actor);
  if (!verdict.ok) throw new FlowRefusal(verdict.reason);
  const { items, total } = await load(ctx, deps, scope, kind);
  return listCard(items, {
    title: TITLES[kind].title,
    total,
    taxonomy: deps.taxonomy,
    timeZone: scope.timezone,
    now: ctx.now,
    moreNote: say(deps.replies, 'listMore', { shown: items.length, total }),
    emptyNote: TITLES[kind].empty,
  });
}
