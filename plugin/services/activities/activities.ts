import type { IOptions as HtmlOptions } from 'sanitize-html';
import type { Actor, Ctx } from '../../context';
import { Conflict, Invalid, NotFound } from '../../errors';
import { chunks, inTransaction, lockForUpdate, type Db } from '../../lib/db';
import { sanitizeHtml } from '../../lib/heavy';
import { sqlDateTime } from '../../lib/time';
import { writeAudit } from '../audit';
import { timeProblems } from './rules';
import { typeCodes } from './settings';
import { isServiceGroup, SERVICE_GROUPS } from '../care/audience-seam';
import { presentActivity, type ActivityRow, type OptionRow } from './presenter';
import { notifyCancelled, notifyExtra, notifyPlaces, notifyPublished } from './notices';
import type { AudienceKind } from './audience';
import { fillPlaces, lockActivity } from './places';

export interface ActivityInput {
  title: string;
  type: string;
  description?: string;
  startAt: string;
  endAt: string;
  location: string;
  registrationDeadline: string;
  capacity?: number | null;
  optionLimit?: number | null;
  options?: Array<{ name: string; capacity?: number | null }>;
  audience?: { kind: AudienceKind; ids?: string[] };
}

/** Rich text people may write in a description: paragraphs, emphasis, lists and links, nothing that runs. */
function descriptionHtml(html: string): string {
  const sanitize = sanitizeHtml();
  const options: HtmlOptions = {
    allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li', 'h3', 'h4', 'a', 'blockquote'],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitize.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  };
  return sanitize(html, options);
}

function toRow(ctx: Ctx, input: ActivityInput) {
  const types = typeCodes(ctx);
  if (!types.includes(input.type)) throw Invalid.field('body.type', `must be one of ${types.join(', ')}`);
  const startAt = new Date(input.startAt);
  const endAt = new Date(input.endAt);
  const registrationDeadline = new Date(input.registrationDeadline);
  const problems = timeProblems({ startAt, endAt, registrationDeadline });
  if (problems.length) throw new Invalid(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  const audience = input.audience ?? { kind: 'members' as const };
  const listed = audience.kind === 'orgs' || audience.kind === 'departments' || audience.kind === 'groups';
  if (listed && !audience.ids?.length) throw Invalid.field('body.audience.ids', `must name at least one of the ${audience.kind}`);
  const unknownGroups = audience.kind === 'groups' ? audience.ids!.filter((g) => !isServiceGroup(g)) : [];
  if (unknownGroups.length)
    throw Invalid.field('body.audience.ids', `${unknownGroups.join(', ')} are not service groups (${SERVICE_GROUPS.join(', ')})`);
  return {
    title: input.title.trim(),
    type: input.type,
    description: input.description ? descriptionHtml(input.description) : null,
    location: input.location.trim(),
    start_at: sqlDateTime(startAt),
    end_at: sqlDateTime(endAt),
    registration_deadline: sqlDateTime(registrationDeadline),
    capacity: input.capacity ?? null,
    option_limit: input.optionLimit ?? null,
    audience_kind: audience.kind,
    audience_ids: listed ? JSON.stringify([...new Set(audience.ids)]) : null,
  };
}

export async function loadActivity(db: Db, id: number) {
  const a = (await db('union_activities').where({ id }).first()) as ActivityRow | undefined;
  if (!a) throw new NotFound('No such activity');
  const options = (await db('union_activity_options').where({ activity_id: id }).orderBy(['sort', 'id'])) as OptionRow[];
  return { activity: a, options };
}

export async function getActivity(ctx: Ctx, id: number) {
  const { activity, options } = await loadActivity(ctx.db, id);
  return presentActivity(activity, options);
}

/** Creates a draft activity with its options: one transaction, one audit row. */
export async function createActivity(ctx: Ctx, actor: Actor, input: ActivityInput) {
  const row = toRow(ctx, input);
  const id = await inTransaction(ctx.db, async (trx) => {
    const now = ctx.nowSql();
    const [newId] = await trx('union_activities').insert({
      ...row,
      status: 'draft',
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    });
    const options = (input.options ?? []).map((o, i) => ({
      activity_id: Number(newId),
      name: o.name.trim(),
      capacity: o.capacity ?? null,
      sort: i,
    }));
    if (options.length) await trx('union_activity_options').insert(options);
    await writeAudit(ctx, trx, actor, {
      action: 'activity.create',
      entity: 'activity',
      entityId: Number(newId),
      after: { ...row, options },
    });
    return Number(newId);
  });
  return getActivity(ctx, id);
}

/**
 * Edits an activity. Options can be replaced only while it is a draft (registrations point at them);
 * a capacity may not drop below the places already held.
 */
export async function updateActivity(ctx: Ctx, actor: Actor, id: number, input: ActivityInput) {
  const row = toRow(ctx, input);
  const promoted = await inTransaction(ctx.db, async (trx) => {
    const l = await lockActivity(trx, id);
    const prior = { ...l.activity };
    if (prior.status === 'cancelled' || prior.status === 'finished') throw new Conflict(`The activity is ${prior.status}`);
    if (row.capacity !== null && row.capacity < prior.taken)
      throw new Invalid(`body.capacity: ${prior.taken} places are already held`, [
        { path: 'body.capacity', message: `must be at least ${prior.taken}` },
      ]);
    await trx('union_activities')
      .where({ id })
      .update({ ...row, updated_at: ctx.nowSql() });
    if (prior.status === 'draft' && input.options) {
      await trx('union_activity_options').where({ activity_id: id }).delete();
      const options = input.options.map((o, i) => ({ activity_id: id, name: o.name.trim(), capacity: o.capacity ?? null, sort: i }));
      if (options.length) await trx('union_activity_options').insert(options);
    }
    // More places (or no limit any more) go to the waitlist at once, in its order.
    Object.assign(l.activity, { capacity: row.capacity, start_at: row.start_at });
    const promoted = await fillPlaces(ctx, trx, l);
    await writeAudit(ctx, trx, actor, {
      action: 'activity.update',
      entity: 'activity',
      entityId: id,
      before: prior,
      after: { ...row, promoted: promoted.map((c) => c.employeeId) },
    });
    return promoted;
  });
  await notifyPlaces(ctx, promoted);
  return getActivity(ctx, id);
}

/** Draft → published; the audience is told after the commit. */
export async function publishActivity(ctx: Ctx, actor: Actor, id: number) {
  await inTransaction(ctx.db, async (trx) => {
    const a = await lockForUpdate(trx, trx('union_activities').where({ id }).first('status'));
    if (!a) throw new NotFound('No such activity');
    if (a.status !== 'draft') throw new Conflict(`The activity is already ${a.status}`);
    await trx('union_activities').where({ id }).update({ status: 'published', published_at: ctx.nowSql(), updated_at: ctx.nowSql() });
    await writeAudit(ctx, trx, actor, {
      action: 'activity.publish',
      entity: 'activity',
      entityId: id,
      before: { status: 'draft' },
      after: { status: 'published' },
    });
  });
  const view = await getActivity(ctx, id);
  const notified = await notifyPublished(ctx, view);
  return { ...view, notified };
}

/**
 * Cancels an activity and, in the same transaction, every registration, waitlist ticket and offer
 * it still held: each row keeps its history (status cancelled, when, reason `activity_cancelled`),
 * the counters drop to zero, and one audit row lists who held what. Everyone who had signed up is
 * told after the commit.
 */
export async function cancelActivity(ctx: Ctx, actor: Actor, id: number, reason: string) {
  const people = await inTransaction(ctx.db, async (trx) => {
    const l = await lockActivity(trx, id);
    const status = l.activity.status;
    if (status === 'cancelled' || status === 'finished') throw new Conflict(`The activity is already ${status}`);
    const now = ctx.nowSql();
    const held = (await trx('union_activity_registrations')
      .where({ activity_id: id })
      .whereIn('status', ['registered', 'waitlisted', 'offered'])
      .select('id', 'employee_id', 'status')) as Array<{ id: number; employee_id: string; status: string }>;
    for (const batch of chunks(held, 1000))
      await trx('union_activity_registrations')
        .whereIn(
          'id',
          batch.map((r) => r.id),
        )
        .update({
          status: 'cancelled',
          cancelled_at: now,
          cancel_reason: 'activity_cancelled',
          offer_expires_at: null,
          waitlist_seq: null,
        });
    await trx('union_activities')
      .where({ id })
      .update({ status: 'cancelled', cancelled_at: now, cancel_reason: reason, taken: 0, updated_at: now });
    await trx('union_activity_options').where({ activity_id: id }).update({ taken: 0 });
    await writeAudit(ctx, trx, actor, {
      action: 'activity.cancel',
      entity: 'activity',
      entityId: id,
      before: { status, taken: l.activity.taken, registrations: held.map((r) => ({ employeeId: r.employee_id, status: r.status })) },
      after: { status: 'cancelled', reason, registrationsCancelled: held.length },
    });
    return held.map((r) => r.employee_id);
  });
  const view = await getActivity(ctx, id);
  const notified = await notifyCancelled(ctx, view, people, reason);
  return { ...view, notified };
}

/** 额外通知: staff tell everyone holding a place (or offered one) something about the activity; recorded in the audit. */
export async function notifyRegistered(ctx: Ctx, actor: Actor, id: number, message: string) {
  const people = await inTransaction(ctx.db, async (trx) => {
    const a = await trx('union_activities').where({ id }).first('status');
    if (!a) throw new NotFound('No such activity');
    const rows = await trx('union_activity_registrations')
      .where({ activity_id: id })
      .whereIn('status', ['registered', 'offered'])
      .select('employee_id');
    await writeAudit(ctx, trx, actor, {
      action: 'activity.notice',
      entity: 'activity',
      entityId: id,
      after: { message, recipients: rows.length },
    });
    return rows.map((r: { employee_id: string }) => r.employee_id);
  });
  const notified = await notifyExtra(ctx, await getActivity(ctx, id), people, message);
  return { notified };
}
