import type { Ctx } from '../context';
import { chunks, inTransaction } from '../lib/db';
import { deliver, settle } from '../services/memberships';

/**
 * Hires, exits and hand-set statuses dated in the future take effect on their day: one set-based
 * query finds whose day has come, then the same settle() as everywhere else applies them.
 */
export async function applyDue(ctx: Ctx): Promise<{ settled: number }> {
  const today = ctx.today();
  const hires = ctx.db('union_employees').where({ hire_applied: false }).andWhere('hire_date', '<=', today).select('employee_id');
  const exits = ctx
    .db('union_memberships as m')
    .join('union_employees as e', 'e.employee_id', 'm.employee_id')
    .whereIn('m.status', ['active', 'pending'])
    .whereNull('m.override_status')
    .andWhere('e.exit_date', '<=', today)
    .select('m.employee_id');
  const overrides = ctx.db('union_memberships').whereNotNull('override_until').andWhere('override_until', '<', today).select('employee_id');
  const rows: Array<{ employee_id: string }> = await hires.union([exits, overrides]);
  const ids = [...new Set(rows.map((r) => r.employee_id))];
  for (const batch of chunks(ids, 500)) {
    const effects = await inTransaction(ctx.db, (trx) => settle(ctx, trx, { id: 'job:apply-due', kind: 'job' }, 'schedule', batch));
    await deliver(ctx, effects);
  }
  return { settled: ids.length };
}
