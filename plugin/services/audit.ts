import type { Actor, Ctx, Trx } from '../context';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  /** This entry's actor when one call records the work of several (a batch of events); else the call's. */
  actor?: Actor;
}

/** Writes one audit row inside the caller's transaction, so the change and its record stand or fall together. */
export async function writeAudit(ctx: Ctx, trx: Trx, actor: Actor, entry: AuditEntry): Promise<void> {
  await writeAuditMany(ctx, trx, actor, [entry]);
}

/** Many audit rows in one statement, for set-based jobs. */
export async function writeAuditMany(ctx: Ctx, trx: Trx, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const at = ctx.nowSql();
  const rows = entries.map((e) => ({
    at,
    actor: (e.actor ?? actor).id,
    actor_kind: (e.actor ?? actor).kind,
    action: e.action,
    entity: e.entity,
    entity_id: String(e.entityId),
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
  }));
  for (let i = 0; i < rows.length; i += 500) await trx('union_audit').insert(rows.slice(i, i + 500));
}

export async function auditTrail(ctx: Ctx, entity: string, entityId: string, limit = 100) {
  return ctx
    .db('union_audit')
    .where({ entity, entity_id: entityId })
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'at', 'actor', 'actor_kind', 'action', 'before', 'after');
}
