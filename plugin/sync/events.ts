import type { Ctx } from '../context';
import type { HostEvent } from '../host';
import { ajv, assertValid } from '../schemas/ajv';
import { hostEventSchema } from '../schemas/events';
import { inTransaction, isUniqueViolation, lockForUpdate } from '../lib/db';
import {
  blankFact,
  factColumns,
  factFromEmployee,
  foldEvent,
  latestTrustedAt,
  type FactOutcome,
  type FactRow,
} from '../services/employment';
import { deliver, normaliseFact, settle, type Effects } from '../services/memberships';
import { installedOn } from '../services/install-info';
import { Invalid } from '../errors';
import { sqlDateTime } from '../lib/time';
import { errorShape } from '../lib/log-safe';

const validateEvent = ajv.compile<HostEvent>(hostEventSchema);

export type IngestOutcome = FactOutcome | 'duplicate';

/**
 * Applies one host event exactly once: the event id is the primary key of union_events, written in
 * the same transaction as the change, so a redelivery (or a concurrent duplicate) changes nothing.
 */
export async function ingestEvent(ctx: Ctx, raw: unknown, via: 'inproc' | 'webhook', webhookId?: string): Promise<IngestOutcome> {
  const event = assertValid(validateEvent, raw, 'event');
  const id = event.id ?? webhookId;
  if (!id) throw Invalid.field('event.id', 'is required (or send the webhook-id header)');
  // An event from the future would be applied now and then outrank every real change after it.
  const trustUntil = latestTrustedAt(ctx.now(), ctx.settings.webhookToleranceSec);
  if (sqlDateTime(new Date(event.timestamp)) > trustUntil)
    throw Invalid.field('event.timestamp', `is in the future (more than ${ctx.settings.webhookToleranceSec} s after now)`);
  const employeeId = event.data.employeeId;

  // employee.updated carries no reliable delta: read the host's record before taking any locks.
  const hostRecord = event.type === 'employee.updated' ? await ctx.host.employees.get(employeeId) : undefined;

  let effects: Effects | undefined;
  const outcome = await inTransaction(ctx.db, async (trx) => {
    try {
      await trx('union_events').insert({
        id,
        type: event.type,
        employee_id: employeeId,
        occurred_at: sqlDateTime(new Date(event.timestamp)),
        received_at: ctx.nowSql(),
        via,
        outcome: 'noop',
        payload: JSON.stringify(event),
      });
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate' as const;
      throw err;
    }
    await trx('union_employees')
      .insert({ employee_id: employeeId, ...placeholder() })
      .onConflict('employee_id')
      .ignore();
    const row = await lockForUpdate(trx, trx('union_employees').where({ employee_id: employeeId }).first());
    const known = Number(row.version) > 0;
    const current: FactRow = known ? { ...normaliseFact(row), fact_at: row.fact_at, dept_at: row.dept_at } : blankFact(employeeId);

    let result: { next: FactRow; outcome: FactOutcome };
    if (hostRecord !== undefined) {
      result = hostRecord
        ? {
            next: factFromEmployee(
              hostRecord,
              known ? current : undefined,
              ctx.settings.retirementReasons,
              await installedOn(ctx, trx),
              trustUntil,
            ),
            outcome: 'applied',
          }
        : { next: current, outcome: 'noop' };
    } else {
      result = foldEvent(current, event, ctx.settings.timezone, ctx.settings.retirementReasons);
    }
    if (result.outcome === 'applied') {
      await trx('union_employees')
        .where({ employee_id: employeeId })
        .update({ ...factColumns(result.next), version: Number(row.version) + 1 });
    }
    await trx('union_events').where({ id }).update({ outcome: result.outcome });
    // A fact row that is still a placeholder (an update for someone we know nothing of) decides nothing.
    if (!known && result.outcome !== 'applied') {
      await trx('union_employees').where({ employee_id: employeeId, version: 0 }).delete();
      return result.outcome;
    }
    effects = await settle(ctx, trx, { id: `event:${id}`, kind: 'event' }, 'event', [employeeId]);
    return result.outcome;
  });
  if (effects) await deliver(ctx, effects);
  return outcome;
}

function placeholder() {
  return {
    department_id: '',
    status: 'unknown',
    hire_applied: false,
    retired: false,
    fact_at: '1970-01-01 00:00:00.000',
    dept_at: '1970-01-01 00:00:00.000',
    version: 0,
  };
}

/** The in-process handler for the host's event bus: a failure is logged, and the next reconciliation repairs it. */
export async function ingestHostEvent(ctx: Ctx, event: HostEvent): Promise<void> {
  try {
    await ingestEvent(ctx, event, 'inproc');
  } catch (err) {
    ctx.host.logger.error(
      { err: errorShape(err), eventId: typeof event?.id === 'string' ? event.id.slice(0, 128) : undefined, type: event?.type },
      'union: host event could not be applied; the next reconciliation repairs it',
    );
  }
}
