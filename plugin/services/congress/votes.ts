import type { Actor, Ctx, Trx } from '../../context';
import type { UnionUser } from '../../auth';
import { Conflict, Forbidden, NotFound } from '../../errors';
import { inTransaction, isMysql, isUniqueViolation, lockForUpdate } from '../../lib/db';
import { writeAudit } from '../audit';
import { CongressPermissions as C } from '../../routes/congress/permissions';
import { attendanceOf, delegateOf, lockSession } from './sessions';
import { CHOICES, passes, type Choice } from './rules';

export interface VoteRow {
  id: number;
  session_id: number;
  subject: string;
  secret: number | boolean;
  status: 'open' | 'closed';
  delegates_total: number;
  present_at_open: number;
  for_count: number | null;
  against_count: number | null;
  abstain_count: number | null;
  passed: number | boolean | null;
  opened_at: string;
  closed_at: string | null;
}

export interface VoteResult {
  for: number;
  against: number;
  abstain: number;
  delegates: number;
  passed: boolean;
}

/** Opens a vote on one item; refused (409 naming the quorum) unless two thirds of all delegates are present. */
export async function openVote(ctx: Ctx, actor: Actor, sessionId: number, input: { subject: string; secret?: boolean }) {
  return inTransaction(ctx.db, async (trx) => {
    await lockSession(trx, sessionId);
    const att = await attendanceOf(trx, sessionId);
    if (!att.quorumMet)
      throw new Conflict(`Quorum not met: ${att.present} of ${att.total} delegates present, two thirds needed`, [
        { path: 'quorum', message: `${att.present}/${att.total}` },
      ]).because('congress_quorum', { present: String(att.present), total: String(att.total) });
    const secret = input.secret !== false;
    const [id] = await trx('union_congress_votes').insert({
      session_id: sessionId,
      subject: input.subject.trim(),
      secret,
      status: 'open',
      delegates_total: att.total,
      present_at_open: att.present,
      opened_by: actor.id,
      opened_at: ctx.nowSql(),
    });
    await trx('union_congress_tallies').insert(CHOICES.map((choice) => ({ vote_id: Number(id), choice, count: 0 })));
    await writeAudit(ctx, trx, actor, {
      action: 'congress.vote.opened',
      entity: 'congress_vote',
      entityId: Number(id),
      after: { subject: input.subject, secret, ...att },
    });
    return { id: Number(id) };
  });
}

/** Reads the vote row under a shared lock: ballots go in side by side, a close waits for them (and they for it). */
async function shareVote(trx: Trx, id: number): Promise<VoteRow> {
  const q = trx('union_congress_votes').where({ id }).first();
  const row = (await (isMysql(trx) ? q.forShare() : q)) as VoteRow | undefined;
  if (!row) throw new NotFound(`No vote ${id}`);
  return row;
}

/**
 * One delegate's ballot. Two writes in one transaction, with nothing that links them: the voter row
 * (the key refuses a second ballot, however many arrive at once) and +1 on the choice's counter. In a
 * secret vote the voter row carries no choice, and neither table has a time or an order to match.
 */
export async function castBallot(ctx: Ctx, user: UnionUser, voteId: number, choice: Choice): Promise<{ voted: true; sessionId: number }> {
  return inTransaction(ctx.db, async (trx) => {
    const vote = await shareVote(trx, voteId);
    const delegate = await delegateOf(trx, vote.session_id, user.id);
    if (!delegate) throw new Forbidden('Only the delegates of this session may vote').because('congress_not_delegate');
    if (vote.status !== 'open') throw new Conflict(`The vote is ${vote.status}`, [{ path: 'status', message: vote.status }]);
    if (!delegate.present)
      throw new Conflict('Only delegates recorded as present may vote', [{ path: 'present', message: 'not present' }]).because(
        'congress_not_present',
      );
    try {
      await trx('union_congress_voters').insert({ vote_id: voteId, delegate_id: user.id, choice: vote.secret ? null : choice });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new Conflict('This delegate has voted already', [{ path: 'ballot', message: 'already cast' }]).because('congress_voted');
      throw err;
    }
    await trx('union_congress_tallies').where({ vote_id: voteId, choice }).increment('count', 1);
    // The audit says who took part (as the voter row does), never what they chose in a secret vote.
    await writeAudit(
      ctx,
      trx,
      { id: user.id, kind: 'user' },
      {
        action: 'congress.ballot',
        entity: 'congress_vote',
        entityId: voteId,
        after: vote.secret ? { cast: true } : { choice },
      },
    );
    return { voted: true as const, sessionId: vote.session_id };
  });
}

async function tallies(db: Ctx['db'] | Trx, voteId: number): Promise<Record<Choice, number>> {
  const rows = (await db('union_congress_tallies').where({ vote_id: voteId }).select('choice', 'count')) as Array<{
    choice: Choice;
    count: number;
  }>;
  const out = { for: 0, against: 0, abstain: 0 };
  for (const r of rows) out[r.choice] = Number(r.count);
  return out;
}

/** Closes the vote and fixes its result: passed only with more than half of all delegates for. */
export async function closeVote(ctx: Ctx, actor: Actor, voteId: number): Promise<VoteResult & { sessionId: number }> {
  return inTransaction(ctx.db, async (trx) => {
    const vote = (await lockForUpdate(trx, trx('union_congress_votes').where({ id: voteId }).first())) as VoteRow | undefined;
    if (!vote) throw new NotFound(`No vote ${voteId}`);
    if (vote.status !== 'open') throw new Conflict(`The vote is ${vote.status}`, [{ path: 'status', message: vote.status }]);
    const t = await tallies(trx, voteId);
    const result: VoteResult = { ...t, delegates: vote.delegates_total, passed: passes(t.for, vote.delegates_total) };
    await trx('union_congress_votes').where({ id: voteId }).update({
      status: 'closed',
      for_count: t.for,
      against_count: t.against,
      abstain_count: t.abstain,
      passed: result.passed,
      closed_at: ctx.nowSql(),
    });
    await writeAudit(ctx, trx, actor, {
      action: 'congress.vote.closed',
      entity: 'congress_vote',
      entityId: voteId,
      before: { status: 'open' },
      after: { status: 'closed', ...result },
    });
    return { ...result, sessionId: vote.session_id };
  });
}

async function ballotsCast(db: Ctx['db'], voteId: number): Promise<number> {
  const row = (await db('union_congress_voters').where({ vote_id: voteId }).count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

/** What a closed vote shows; an open vote shows only the turnout. */
export function resultOf(v: VoteRow): VoteResult | null {
  if (v.status !== 'closed') return null;
  return {
    for: v.for_count ?? 0,
    against: v.against_count ?? 0,
    abstain: v.abstain_count ?? 0,
    delegates: v.delegates_total,
    passed: Boolean(v.passed),
  };
}

/**
 * A vote as anyone may see it. While it is open the chair sees the turnout live (ballots cast of those
 * present); per-choice counts of a secret vote appear only once it closes, because a counter watched while
 * one delegate taps would tell what that delegate chose. Who chose what is shown only for an open vote.
 */
export async function viewVote(ctx: Ctx, user: UnionUser, voteId: number) {
  const v = (await ctx.db('union_congress_votes').where({ id: voteId }).first()) as VoteRow | undefined;
  if (!v) throw new NotFound(`No vote ${voteId}`);
  const [cast, mine] = await Promise.all([
    ballotsCast(ctx.db, voteId),
    ctx.db('union_congress_voters').where({ vote_id: voteId, delegate_id: user.id }).first('vote_id'),
  ]);
  const delegate = await delegateOf(ctx.db, v.session_id, user.id);
  const chair = user.permissions.has(C.congressManage);
  const secret = Boolean(v.secret);
  const rollCall =
    !secret && v.status === 'closed'
      ? (
          (await ctx
            .db('union_congress_voters')
            .where({ vote_id: voteId })
            .orderBy('delegate_id')
            .select('delegate_id', 'choice')) as Array<{
            delegate_id: string;
            choice: Choice;
          }>
        ).map((r) => ({ delegateId: r.delegate_id, choice: r.choice }))
      : null;
  const live = v.status === 'open' && chair && !secret ? await tallies(ctx.db, voteId) : null;
  return {
    id: v.id,
    sessionId: v.session_id,
    subject: v.subject,
    secret,
    status: v.status,
    delegates: v.delegates_total,
    presentAtOpen: v.present_at_open,
    ballots: cast,
    openedAt: v.opened_at,
    closedAt: v.closed_at,
    result: resultOf(v),
    live,
    rollCall,
    voted: Boolean(mine),
    canVote: v.status === 'open' && Boolean(delegate?.present) && !mine,
  };
}

export async function votesOf(ctx: Ctx, sessionId: number): Promise<VoteRow[]> {
  return ctx.db('union_congress_votes').where({ session_id: sessionId }).orderBy('id');
}
