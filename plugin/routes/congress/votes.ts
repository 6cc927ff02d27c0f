import { action } from '../../areas/types';
import { UnionError } from '../../errors';
import { castBallot, closeVote, openVote, viewVote, type VoteResult } from '../../services/congress/votes';
import type { Choice } from '../../services/congress/rules';
import { C } from './permissions';
import * as S from './schemas';

/** A refused ballot from the phone page goes back to the session with the reason, not to an error page. */
function backToSession(err: unknown, sessionId: unknown) {
  // The page's hidden field, read before validation: only digits make a path.
  if (!(err instanceof UnionError) || !err.reason || typeof sessionId !== 'string' || !/^\d{1,10}$/.test(sessionId)) return null;
  return { to: `/union/congress/sessions/${sessionId}`, flash: `errors.${err.reason.key}`, vars: err.reason.vars, kind: 'error' as const };
}

/** A refused move on the chair's page (no quorum) goes back there with the reason. */
function toManage(err: unknown, sessionId: string) {
  if (!(err instanceof UnionError) || !err.reason || !/^\d{1,10}$/.test(sessionId)) return null;
  return {
    to: `/union/congress/manage?session=${sessionId}`,
    flash: `errors.${err.reason.key}`,
    vars: err.reason.vars,
    kind: 'error' as const,
  };
}

export const voteEndpoints = [
  action<S.ById, { subject: string; secret?: boolean | 'true' | 'false' }, unknown, { id: number }>({
    name: 'congress.openVote',
    method: 'post',
    api: '/api/congress/sessions/:id/votes',
    form: '/congress/sessions/:id/votes',
    access: C.congressManage,
    params: S.byId,
    body: S.voteBody,
    // Secret unless said otherwise: important matters are voted by secret ballot.
    run: ({ ctx, actor, params, body }) =>
      openVote(ctx, actor, Number(params.id), { subject: body.subject, secret: body.secret !== false && body.secret !== 'false' }),
    json: (out) => ({ status: 201, body: out }),
    redirect: (_out, { params }) => ({ to: `/union/congress/manage?session=${params.id}`, flash: 'congress.flash.voteOpened' }),
    formError: (err, { params }) => toManage(err, params.id),
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
  action<S.ByVoteId, unknown, unknown, VoteResult & { sessionId: number }>({
    name: 'congress.closeVote',
    method: 'post',
    api: '/api/congress/votes/:voteId/close',
    form: '/congress/votes/:voteId/close',
    access: C.congressManage,
    params: S.byVoteId,
    run: ({ ctx, actor, params }) => closeVote(ctx, actor, Number(params.voteId)),
    json: ({ sessionId: _s, ...result }) => ({ body: result }),
    redirect: (out) => ({ to: `/union/congress/manage?session=${out.sessionId}`, flash: 'congress.flash.voteClosed' }),
  }),
];
