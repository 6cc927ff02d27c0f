import type { Actor, Ctx } from '../../context';
import { inTransaction } from '../../lib/db';
import { asDate } from '../../lib/time';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { peopleWithRole } from '../roles';
import { addDays, renewalDue } from './rules';
import { contractSettings } from './settings';

const JOB: Actor = { id: 'job:contracts-renewal', kind: 'job' };

/**
 * The daily renewal reminder: each contract whose end is within the setting's days (default 60) is
 * marked reminded by a conditional UPDATE and staff are told; a contract already marked is skipped, so
 * a second run, another instance or the next day never tells again.
 */
export async function remindRenewals(ctx: Ctx): Promise<number> {
  const today = ctx.today();
  const days = contractSettings(ctx).renewalNoticeDays;
  const rows: Array<{ id: number; title: string; ends_on: unknown }> = await ctx
    .db('union_contracts')
    .whereNull('renewal_noticed_at')
    .whereBetween('ends_on', [today, addDays(today, days)])
    .select('id', 'title', 'ends_on');
  if (!rows.length) return 0;
  const staff = await peopleWithRole(ctx, 'union.staff');
  if (!staff.length) {
    // Marking a reminder nobody received would lose it: leave it due until the host can list the staff.
    ctx.host.logger.warn({ contracts: rows.length }, 'union: contract renewal due but the host lists no union staff');
    return 0;
  }
  let told = 0;
  for (const r of rows) {
    const endsOn = asDate(r.ends_on)!;
    if (!renewalDue(endsOn, today, days)) continue;
    const marked = await inTransaction(ctx.db, async (trx) => {
      const n = await trx('union_contracts')
        .where({ id: r.id })
        .whereNull('renewal_noticed_at')
        .update({ renewal_noticed_at: ctx.nowSql() });
      if (n) await writeAudit(ctx, trx, JOB, { action: 'contract.renewalNoticed', entity: 'contract', entityId: r.id, after: { endsOn } });
      return n > 0;
    });
    if (!marked) continue;
    told++;
    await sendNotice(ctx, {
      to: staff,
      template: 'union.contract.renewal',
      key: 'contracts.notices.renewal',
      vars: { title: r.title, endsOn },
      link: '/union/contracts/review',
    });
  }
  return told;
}
