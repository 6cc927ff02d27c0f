import express, { type Response, type Router } from 'express';
import type { RouteDeps } from '.';
import { requirePermission } from '../auth';
import { renderPage } from '../views/render';
import { getRun, lastRuns, runChanges, syncBusy, type ReconcileReport } from '../sync/reconcile';
import { actorOf, flashFrom, withFlash } from './helpers';
import { Conflict, NotFound } from '../errors';

export function syncRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;
  const run = requirePermission('union.sync.run');

  // The button runs the same job as the nightly schedule, under the same lease.
  async function runNow(res: Response): Promise<ReconcileReport> {
    const result = await deps.runJob('reconcile', { trigger: 'button', actor: actorOf(res) });
    if (!result.ran) throw await syncBusy(ctx, result.heldBy);
    return result.value as ReconcileReport;
  }

  r.post('/api/sync/runs', run, async (_req, res) => {
    res.status(201).json(await runNow(res));
  });
  r.get('/api/sync/runs', run, async (_req, res) => {
    res.json({ items: await lastRuns(ctx, 20) });
  });
  r.get('/api/sync/runs/:id', run, async (req, res) => {
    const run = await getRun(ctx, Number(req.params.id) || 0);
    if (!run) throw new NotFound('No such run');
    res.json(run);
  });

  r.get('/sync', run, async (req, res) => {
    const runs = await lastRuns(ctx, 10);
    const latest = runs[0];
    const changes = latest ? await runChanges(ctx, Number((latest as { id?: number }).id), 200) : [];
    renderPage(deps, req, res, 'sync', {
      titleKey: 'members.titles.sync',
      navKey: 'union.sync',
      flash: flashFrom(req, res),
      runs,
      latest,
      changes,
    });
  });
  r.post('/sync', run, async (_req, res) => {
    try {
      const report = await runNow(res);
      const c = report.counts;
      const changed = c.joined + c.invited + c.expired + c.retained + c.transferred + c.other;
      res.redirect(303, withFlash('/union/sync', 'members.sync.done', { scanned: c.scanned, changed }));
    } catch (err) {
      if (err instanceof Conflict) return res.redirect(303, withFlash('/union/sync', 'members.sync.running', {}, 'error'));
      throw err;
    }
  });
  return r;
}
