/**
 * congress-ballots: a session of 500 delegates votes at once, each delegate's phone sending its ballot
 * twice (a double tap), through the service on the bench database. Measures the wall time until every
 * ballot is in, the slowest single ballot, and the close; checks one ballot per delegate. The session
 * is removed afterwards, so the other scenarios see the database as generated.
 */
import type { UnionUser } from '../../plugin/auth';
import { castBallot, closeVote, openVote } from '../../plugin/services/congress/votes';
import { createSession, recordAttendance } from '../../plugin/services/congress/sessions';
import { median, openDb, openHost, percentile, round, timed } from '../lib';
import { atLeast, type ScenarioResult } from './types';

const DELEGATES = 500;
const CHOICES = ['for', 'against', 'abstain'] as const;

export async function run(): Promise<ScenarioResult> {
  const db = openDb();
  const { host, plugin } = await openHost(db);
  const ctx = plugin.ctx;
  const actor = { id: 'bench:congress', kind: 'user' as const };
  let sessionId = 0;
  try {
    const ids = (await db('host_employees').where({ status: 'employed' }).orderBy('id').limit(DELEGATES).pluck('id')) as string[];
    sessionId = (await createSession(ctx, actor, { title: 'bench', delegates: ids })).id;
    await recordAttendance(ctx, actor, sessionId, ids);
    const vote = await openVote(ctx, actor, sessionId, { subject: 'bench', secret: true });
    const user = (id: string) => ({ id, permissions: new Set<string>() }) as unknown as UnionUser;
    const each: number[] = [];
    let accepted = 0;
    let refused = 0;
    const all = await timed(() =>
      Promise.all(
        ids.flatMap((id, i) =>
          [0, 1].map(async () => {
            const t = await timed(() =>
              castBallot(ctx, user(id), vote.id, CHOICES[i % 3]).then(
                () => (accepted += 1),
                (err: { status?: number }) => {
                  if (err.status !== 409) throw err;
                  refused += 1;
                },
              ),
            );
            each.push(t.ms);
          }),
        ),
      ),
    );
    const close = await timed(() => closeVote(ctx, actor, vote.id));
    const sorted = [...each].sort((a, b) => a - b);
    const perSecond = (ids.length * 2) / (all.ms / 1000);
    const counted = close.value.for + close.value.against + close.value.abstain;
    return {
      rows: [
        { scenario: 'congress-ballots', measure: `${ids.length} delegates × 2 ballots at once, all in`, value: round(all.ms), unit: 'ms' },
        {
          scenario: 'congress-ballots',
          measure: 'ballots handled per second',
          value: round(perSecond),
          unit: '/s',
          ...atLeast(perSecond, 100),
        },
        { scenario: 'congress-ballots', measure: 'one ballot, median', value: round(median(each)), unit: 'ms' },
        { scenario: 'congress-ballots', measure: 'one ballot, p95', value: round(percentile(sorted, 95)), unit: 'ms' },
        { scenario: 'congress-ballots', measure: 'close and count', value: round(close.ms), unit: 'ms' },
        {
          scenario: 'congress-ballots',
          measure: 'one ballot per delegate',
          value: counted === ids.length && accepted === ids.length && refused === ids.length ? 'OK' : `${accepted} in, ${counted} counted`,
          target: 'OK',
          met: counted === ids.length && accepted === ids.length,
        },
      ],
      details: { delegates: ids.length, accepted, refused, result: close.value },
    };
  } finally {
    if (sessionId) {
      const votes = (await db('union_congress_votes').where({ session_id: sessionId }).pluck('id')) as number[];
      await db('union_congress_voters').whereIn('vote_id', votes).delete();
      await db('union_congress_tallies').whereIn('vote_id', votes).delete();
      await db('union_congress_votes').where({ session_id: sessionId }).delete();
      await db('union_congress_delegates').where({ session_id: sessionId }).delete();
      await db('union_congress_sessions').where({ id: sessionId }).delete();
    }
    await host.close();
    await db.destroy();
  }
}
