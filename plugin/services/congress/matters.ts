import type { Actor, Ctx } from '../../context';
import { Invalid, NotFound } from '../../errors';
import { inTransaction } from '../../lib/db';
import { asDate } from '../../lib/time';
import { writeAudit } from '../audit';

/** What the congress does with a matter: approve (审议通过), negotiate and sign (协商签订), make public (公开告知). */
export const MATTER_KINDS = ['approve', 'negotiate', 'disclose'] as const;
export const MATTER_TOPICS = ['rules', 'pay', 'welfare', 'safety', 'other'] as const;
/** The preparation every matter goes through before the session, in order. */
export const MATTER_STEPS = ['collect_views', 'explain', 'pre_review', 'prepare_vote'] as const;
export type MatterStep = (typeof MATTER_STEPS)[number];

export interface MatterInput {
  kind: (typeof MATTER_KINDS)[number];
  topic: (typeof MATTER_TOPICS)[number];
  title: string;
  sessionId?: number;
  steps?: Partial<Record<MatterStep, string>>;
}

/** Steps' due dates must follow the order of the preparation; the first out of order is named. */
export function stepOrderError(steps: Partial<Record<MatterStep, string>>): string | null {
  let last = '';
  for (const s of MATTER_STEPS) {
    const d = steps[s];
    if (!d) continue;
    if (d < last) return s;
    last = d;
  }
  return null;
}

export async function addMatter(ctx: Ctx, actor: Actor, input: MatterInput): Promise<{ id: number }> {
  const steps = input.steps ?? {};
  const bad = stepOrderError(steps);
  if (bad) throw Invalid.field(`body.steps.${bad}`, 'is before an earlier step');
  return inTransaction(ctx.db, async (trx) => {
    if (input.sessionId && !(await trx('union_congress_sessions').where({ id: input.sessionId }).first('id')))
      throw Invalid.field('body.sessionId', 'is not a session');
    const [id] = await trx('union_congress_matters').insert({
      session_id: input.sessionId ?? null,
      kind: input.kind,
      topic: input.topic,
      title: input.title.trim(),
      created_by: actor.id,
      created_at: ctx.nowSql(),
    });
    await trx('union_congress_matter_steps').insert(
      MATTER_STEPS.map((step) => ({ matter_id: Number(id), step, due_on: steps[step] ?? null, done_on: null })),
    );
    await writeAudit(ctx, trx, actor, {
      action: 'congress.matter.added',
      entity: 'congress_matter',
      entityId: Number(id),
      after: { kind: input.kind, title: input.title },
    });
    return { id: Number(id) };
  });
}

/** Marks a preparation step done (on a date, today unless given). */
export async function completeStep(ctx: Ctx, actor: Actor, matterId: number, step: MatterStep, on?: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const n = await trx('union_congress_matter_steps')
      .where({ matter_id: matterId, step })
      .update({ done_on: on ?? ctx.today() });
    if (!n) throw new NotFound(`No matter ${matterId}`);
    await writeAudit(ctx, trx, actor, {
      action: 'congress.matter.step',
      entity: 'congress_matter',
      entityId: matterId,
      after: { step, on: on ?? ctx.today() },
    });
  });
}

/** The matters list, by kind, each with its steps and whether a step is late. */
export async function listMatters(ctx: Ctx) {
  const matters = (await ctx.db('union_congress_matters').orderBy('id')) as Array<{
    id: number;
    session_id: number | null;
    kind: string;
    topic: string;
    title: string;
  }>;
  const steps = (
    matters.length
      ? await ctx.db('union_congress_matter_steps').whereIn(
          'matter_id',
          matters.map((m) => m.id),
        )
      : []
  ) as Array<{
    matter_id: number;
    step: MatterStep;
    due_on: unknown;
    done_on: unknown;
  }>;
  const today = ctx.today();
  return matters.map((m) => ({
    id: m.id,
    sessionId: m.session_id,
    kind: m.kind,
    topic: m.topic,
    title: m.title,
    steps: MATTER_STEPS.map((step) => {
      const s = steps.find((x) => x.matter_id === m.id && x.step === step);
      const due = asDate(s?.due_on);
      const done = asDate(s?.done_on);
      return { step, due, done, late: Boolean(due && !done && due < today) };
    }),
  }));
}
