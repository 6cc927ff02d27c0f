import express, { type Router } from 'express';
import type { RouteDeps } from '.';
import { requirePermission, scopeOf } from '../auth';
import { renderPage } from '../views/render';
import { coverage } from '../services/coverage';

export function statsRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const read = requirePermission('union.stats.read');
  r.get('/api/stats/coverage', read, async (_req, res) => {
    res.json(await coverage(deps.ctx, scopeOf(res)));
  });
  r.get('/coverage', read, async (req, res) => {
    const c = await coverage(deps.ctx, scopeOf(res));
    const bar = (rate: number | null) => Math.round((rate ?? 0) * 100);
    renderPage(deps, req, res, 'coverage', {
      titleKey: 'members.titles.coverage',
      navKey: 'union.coverage',
      ...c,
      pctWidth: bar(c.rate),
      byDepartment: c.byDepartment.map((d) => ({ ...d, width: bar(d.rate) })),
      byOrg: c.byOrg.map((o) => ({ ...o, width: bar(o.rate) })),
    });
  });
  return r;
}
