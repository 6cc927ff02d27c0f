import type { Actor, Ctx, Trx } from '../../context';
import { Invalid } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { endOfDay, loadCalendar } from '../../lib/workdays';
import { sqlDateTime } from '../../lib/time';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { chooseAssignee } from './routing';
import { noteRepeat } from './repeats';
import { applyTally } from './tallies';
import { categoryLabel } from './categories';
import type { CHANNELS } from './flow';
import { checkEvidence, MAX_FILES, storeEvidence, type CheckedFile } from './evidence';

export interface Filing {
  category: string;
  content: string;
  concerns?: string;
  anonymous?: boolean;
}

/** An uploaded file as the form or the API sent it, before any check. */
export interface Upload {
  buffer: Buffer;
  originalname: string;
}

export interface OfflineFiling extends Filing {
  channel: Exclude<(typeof CHANNELS)[number], 'online'>;
  /** The employee the case is recorded for; absent for an anonymous note (a suggestion box). */
  onBehalfOf?: string;
}

export interface Filed {
  id: number;
  status: 'received';
  assigneeId: string;
  dueAt: string;
}

interface NewCase extends Filing {
  filerId: string | null;
  channel: string;
  recordedBy: string | null;
  /** Evidence checked already, written with the case in its transaction. */
  files?: CheckedFile[];
}

/** Every file is checked before anything is written, so one bad file refuses the whole filing. */
function checkUploads(files: Upload[] = []): CheckedFile[] {
  if (files.length > MAX_FILES) throw Invalid.field('files', `at most ${MAX_FILES} files`);
  return files.map((f, i) => checkEvidence(f, `files.${i}`));
}

/**
 * Records a case, routes it and plans its first deadline in one transaction: until someone chooses a
 * handling path, a case is held to its category's coordinated deadline from the day of receipt.
 */
async function insertCase(ctx: Ctx, actor: Actor, c: NewCase): Promise<Filed> {
  const person = c.filerId ? await ctx.host.employees.get(c.filerId) : null;
  const filed = await inTransaction(ctx.db, async (trx: Trx) => {
    // The category row's lock serialises routing within the category (each case sees the last one's load).
    const cat = await lockForUpdate(trx, trx('union_grievance_categories').where({ code: c.category, active: true }).first());
    if (!cat) throw Invalid.field('body.category', `is not a grievance category: ${c.category}`);
    const assignee = await chooseAssignee(ctx, trx, c.category);
    const cal = await loadCalendar(trx);
    const today = ctx.today();
    const dueDate = cal.addWorkingDays(today, cat.coordinated_days);
    const now = ctx.nowSql();
    const dueAt = sqlDateTime(endOfDay(dueDate, ctx.settings.timezone));
    const row = {
      filer_id: c.filerId,
      anonymous: Boolean(c.anonymous) || !c.filerId,
      department_id: person?.departmentId ?? null,
      category: c.category,
      content: c.content,
      concerns: c.concerns?.trim() || null,
      channel: c.channel,
      recorded_by: c.recordedBy,
      status: 'received',
      assignee_id: assignee,
      assigned_at: now,
      received_at: now,
      received_on: today,
      due_at: dueAt,
      due_date: dueDate,
      due_estimated: cal.estimated,
    };
    const [id] = await trx('union_grievances').insert(row);
    await applyTally(trx, null, { ...row, on_time: null, evaluation: null, handling_days: null });
    await trx('union_grievance_history').insert({
      grievance_id: id,
      at: now,
      actor: actor.id,
      action: 'file',
      from_status: null,
      to_status: 'received',
    });
    for (const f of c.files ?? []) await storeEvidence(ctx, trx, id, actor.id, 'received', f);
    await noteRepeat(ctx, trx, { category: c.category, departmentId: person?.departmentId ?? null, day: today });
    // The audit row names the case, never the content or (for anonymous cases) anything about the filer.
    await writeAudit(ctx, trx, actor, {
      action: 'grievance.file',
      entity: 'grievance',
      entityId: id,
      after: { status: 'received', category: c.category, channel: c.channel, assigneeId: assignee, dueAt },
    });
    return { id, status: 'received' as const, assigneeId: assignee, dueAt: endOfDay(dueDate, ctx.settings.timezone).toISOString() };
  });
  // The assignee learns that a case arrived, never who filed it.
  await sendNotice(ctx, {
    to: [filed.assigneeId],
    template: 'union.grievance.assigned',
    key: 'grievances.notices.assigned',
    vars: { id: filed.id, category: categoryLabel(ctx, c.category) },
    link: `/union/grievances/${filed.id}`,
  });
  return filed;
}

/** An employee files a case online, with up to 5 evidence files in the same submission. */
export async function fileGrievance(ctx: Ctx, actor: Actor, input: Filing, uploads?: Upload[]): Promise<Filed> {
  const files = checkUploads(uploads);
  return insertCase(ctx, actor, { ...input, filerId: actor.id, channel: 'online', recordedBy: null, files });
}

/** Staff record a case that came by the 12351 hotline, the suggestion box, a visit or a service station. */
export async function recordOffline(ctx: Ctx, actor: Actor, input: OfflineFiling): Promise<Filed> {
  if (input.onBehalfOf && !(await ctx.host.employees.get(input.onBehalfOf)))
    throw Invalid.field('body.onBehalfOf', 'is not a known employee');
  return insertCase(ctx, actor, { ...input, filerId: input.onBehalfOf ?? null, channel: input.channel, recordedBy: actor.id });
}
