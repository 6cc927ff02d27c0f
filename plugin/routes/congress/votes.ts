import { action } from '../../areas/types';
import { UnionError } from '../../errors';
import { castBallot, closeVote, openVote, viewVote } from '../../services/congress/votes';
import type { Choice } from '../../services/congress/rules';
import { C } from './permissions';
import * as S from './schemas';

/** A refused ballot from the phone page goes back to the session with the reason, not to an error page. */
function backToSession(err: unknown, sessionId: unknown) {
  // The page's hidden field, read before validation: only digits make a path.
  if (!(err instanceof UnionError) || !err.reason || typeof sessionId !== 'string' || !/^\d{1,10}$/.test(sessionId)) return null;
  return { to: `/union/congress/sessions/${sessionId}`, flash: `errors.${err.reason.key}`, vars: err.reason.vars, kind: 'error' as const };
}

export const voteEndpoints = [
  action<S.ById, { subject: string; secret?: boolean }, unknown, { id: number }>({
    name: 'congress.openVote',
    method: 'post',
    api: '/api/congress/sessions/:id/votes',
    access: C.congressManage,
    params: S.byId,
    body: S.voteBody,
    run: ({ ctx, actor, params, body }) => openVote(ctx, actor, Number(params.id), body),
    json: (out) => ({ status: 201, body: out }),
  }),
  action<S.ByVoteId>({
    name: 'congress.vote',
    method: 'get',
    api: '/api/congress/votes/:voteId',
    access: C.congressView,
    params: S.byVoteId,
    run: ({ ctx, user, params }) => viewVote(ctx, user, Number(params.voteId)),
  }),
  action<S.ByVoteId, { choice: Choice; sessionId?: string }, unknown, { voted: true; sessionId: number }>({
    name: 'congress.ballot',
    method: 'post',
    api: '/api/congress/votes/:voteId/ballots',
    form: '/congress/votes/:voteId/ballots',
    access: C.congressTakePart,
    params: S.byVoteId,
    body: S.ballotBody,
    run: ({ ctx, user, params, body }) => castBallot(ctx, user, Number(params.voteId), body.choice),
    json: () => ({ status: 201, body: { voted: true } }),
    redirect: (out) => ({ to: `/union/congress/sessions/${out.sessionId}`, flash: 'congress.flash.voted' }),
    formError: (err, { body }) => backToSession(err, (body as { sessionId?: unknown } | undefined)?.sessionId),
  }),
  action<S.ByVoteId>({
    name: 'congress.closeVote',
    method: 'post',
    api: '/api/congress/votes/:voteId/close',
    access: C.congressManage,
    params: S.byVoteId,
    run: ({ ctx, actor, params }) => closeVote(ctx, actor, Number(params.voteId)),
  }),
];
