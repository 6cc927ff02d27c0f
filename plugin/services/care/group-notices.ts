import type { Actor, Ctx } from '../../context';
import { inTransaction } from '../../lib/db';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { groupScope, groupsQuery } from './groups';
import type { GroupCode } from './settings';

export interface GroupNotice {
  groups: GroupCode[];
  title: string;
  body: string;
}

/**
 * Staff write to everyone in some service groups as they are today (a person in two groups gets it once).
 * The recipients are read in one query; sendNotice sends them in batches of 500. The audit row records
 * who sent what to which groups and how many it reached; the text itself goes to the host, not our tables.
 */
export async function sendGroupNotice(ctx: Ctx, actor: Actor, n: GroupNotice): Promise<{ recipients: number; sent: number }> {
  const groups = [...new Set(n.groups)];
  const rows: Array<{ employee_id: string }> = await groupsQuery(ctx.db, groupScope(ctx), groups).orderBy('p.employee_id');
  const to = rows.map((r) => r.employee_id);
  const sent = to.length
    ? await sendNotice(ctx, {
        to,
        template: 'union.care.group-notice',
        key: 'care.notices.group',
        vars: { title: n.title, body: n.body },
        link: '/union/my-welfare',
      })
    : 0;
  await inTransaction(ctx.db, (trx) =>
    writeAudit(ctx, trx, actor, {
      action: 'care.groups.notified',
      entity: 'care_groups',
      entityId: groups.join(','),
      after: { groups, title: n.title, recipients: to.length, sent },
    }),
  );
  return { recipients: to.length, sent };
}
