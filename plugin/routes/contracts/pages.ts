import { page } from '../../areas/types';
import { clausesInForce, contractRow, listContracts } from '../../services/contracts/contracts';
import { exceptionList, viewCheck } from '../../services/contracts/checks';
import { filesOf } from '../../services/contracts/files';
import { listShortfalls, viewShortfall } from '../../services/contracts/shortfalls';
import { HAND_OVER_TO, SHORTFALL_KINDS } from '../../services/contracts/shortfall-flow';
import { RESULTS } from '../../services/contracts/rules';
import { actorNamer } from '../../services/actor-names';
import { K } from './permissions';
import * as S from './schemas';

/** The form path of each ladder action (routes/contracts/shortfalls.ts). */
const STEP_PATHS: Record<string, string> = {
  prompt: 'prompt',
  consult: 'consult',
  send_letter: 'letter',
  check: 'check',
  rectified: 'rectified',
  hand_over: 'hand-over',
};

export const contractPages = [
  page({
    name: 'contracts.clausesPage',
    path: '/contracts',
    access: K.contractsRead,
    navKey: 'union.contracts',
    titleKey: 'contracts.titles.clauses',
    view: 'contracts/clauses',
    load: async ({ ctx }) => ({ contracts: await clausesInForce(ctx) }),
  }),
  page({
    name: 'contracts.reviewPage',
    path: '/contracts/review',
    access: K.contractsManage,
    navKey: 'union.contractsReview',
    titleKey: 'contracts.titles.review',
    view: 'contracts/review',
    async load({ ctx }) {
      const [exceptions, shortfalls, contracts, checks] = await Promise.all([
        exceptionList(ctx),
        listShortfalls(ctx),
        listContracts(ctx),
        ctx.db('union_contract_checks').orderBy('quarter', 'desc').limit(400).select('id', 'contract_id', 'quarter'),
      ]);
      const latest = new Map<number, { id: number; quarter: string }>();
      for (const c of checks as Array<{ id: number; contract_id: number; quarter: string }>)
        if (!latest.has(c.contract_id)) latest.set(c.contract_id, { id: c.id, quarter: c.quarter });
      return {
        exceptions,
        shortfalls,
        contracts: contracts.map((c) => ({ ...c, latest: latest.get(c.id) ?? null })),
        kinds: SHORTFALL_KINDS,
      };
    },
  }),
  page<S.ById>({
    name: 'contracts.checkPage',
    path: '/contracts/checks/:id',
    access: K.contractsManage,
    navKey: 'union.contractsReview',
    titleKey: 'contracts.titles.check',
    view: 'contracts/check',
    params: S.byId,
    async load({ ctx, params }) {
      const check = await viewCheck(ctx, Number(params.id));
      const [contract, files] = await Promise.all([
        contractRow(ctx, check.contractId),
        filesOf(
          ctx,
          'item',
          check.items.map((i) => i.id),
        ),
      ]);
      return {
        check,
        contractTitle: contract.title,
        items: check.items.map((i) => ({ ...i, files: files.get(i.id) ?? [] })),
        results: RESULTS,
        today: ctx.today(),
      };
    },
  }),
  page<S.ById>({
    name: 'contracts.shortfallPage',
    path: '/contracts/shortfalls/:id',
    access: K.contractsManage,
    navKey: 'union.contractsReview',
    titleKey: 'contracts.titles.shortfall',
    view: 'contracts/shortfall',
    params: S.byId,
    async load({ ctx, user, lang, params }) {
      const c = await viewShortfall(ctx, user, Number(params.id));
      const name = await actorNamer(
        ctx,
        lang,
        c.history.map((h) => h.actor as string),
      );
      return {
        c,
        history: c.history.map((h) => ({ ...h, by: name(h.actor as string) })),
        actions: c.actions.map((a) => ({ action: a, path: STEP_PATHS[a], letter: a === 'send_letter', handOver: a === 'hand_over' })),
        handOverTo: HAND_OVER_TO,
        today: ctx.today(),
      };
    },
  }),
];
