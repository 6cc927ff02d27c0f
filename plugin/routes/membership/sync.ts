import { action, page, type Call } from '../../areas/types';
import { getRun, lastRuns, runChanges, syncBusy, type ReconcileReport } from '../../sync/reconcile';
import { Conflict, NotFound } from '../../errors';
import { actorNamer } from '../../services/actor-names';
import { P } from './permissions';
import { syncChange, syncRun } from './present';

// The button runs the same job as the nightly schedule, under the same lease.
async function runNow({ ctx, runJob, actor }: Call<never, never, never>): Promise<ReconcileReport> {
  const result = await runJob('reconcile', { trigger: 'button', actor });
  if (!result.ran) throw await syncBusy(ctx, result.heldBy);
  return result.value as ReconcileReport;
}

export const syncEndpoints = [
  action({
    name: 'sync.run',
    method: 'post',
    api: '/api/sync/runs',
    form: '/sync',
    access: P.syncRun,
    run: (call) => runNow(call as never),
    json: (report) => ({ status: 201, body: report }),
    redirect: (report) => {
      const c = report.counts;
      const changed = c.joined + c.invited + c.expired + c.retained + c.transferred + c.other;
      return { to: '/union/sync', flash: 'members.sync.done', vars: { scanned: c.scanned, changed } };
    },
    formError: (err) => (err instanceof Conflict ? { to: '/union/sync', flash: 'members.sync.running', kind: 'error' } : null),
  }),

  action({
    name: 'sync.runs',
    method: 'get',
    api: '/api/sync/runs',
    access: P.syncRun,
    run: async ({ ctx }) => ({ items: (await lastRuns(ctx, 20)).map(syncRun) }),
  }),

  action<{ id: string }>({
    name: 'sync.runReport',
    method: 'get',
    api: '/api/sync/runs/:id',
    access: P.syncRun,
    async run({ ctx, params }) {
      const run = await getRun(ctx, Number(params.id) || 0);
      if (!run) throw new NotFound('No such run');
      return { ...syncRun(run), changes: run.changes.map(syncChange) };
    },
  }),

  page({
    name: 'sync.page',
    path: '/sync',
    access: P.syncRun,
    navKey: 'union.sync',
    titleKey: 'members.titles.sync',
    view: 'membership/sync',
    async load({ ctx, lang }) {
      const runs = (await lastRuns(ctx, 10)).map(syncRun);
      const latest = runs[0];
      const changes = latest ? (await runChanges(ctx, latest.id, 200)).map(syncChange) : [];
      const [nameOf, people] = await Promise.all([
        actorNamer(
          ctx,
          lang,
          runs.map((r) => r.actor),
        ),
        ctx.host.employees.getMany(changes.map((c) => c.employeeId)),
      ]);
      const person = new Map(people.map((p) => [p.id, p]));
      return {
        runs: runs.map((r) => ({ ...r, actorName: nameOf(r.actor) })),
        latest,
        changes: changes.map((c) => ({ ...c, name: person.get(c.employeeId)?.name, employeeNo: person.get(c.employeeId)?.employeeNo })),
      };
    },
  }),
];
