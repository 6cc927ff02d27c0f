/** The HR JSON API (admin only). Routes parse, validate, call HrService, respond. */
import express, { type Router } from 'express';
import type { Employee } from '../../plugin/host';
import { apiAdmin, jsonOrBearer } from './guards';
import type { HrService } from './hr';
import type { Sessions } from './sso';
import { parseListQuery, validateExit, validateHire, validateRehire, validateTransfer } from './validate';

const summary = (e: Employee) => ({ id: e.id, name: e.name, departmentId: e.departmentId, status: e.status });

export function hrApi(hr: HrService, sessions: Sessions): Router {
  const r = express.Router();
  r.use('/hr/api', apiAdmin(sessions), jsonOrBearer(), express.json({ limit: '64kb' }));

  r.get('/hr/api/departments', async (_req, res) => {
    res.json((await hr.departments()).map((d) => ({ id: d.id, name: d.name })));
  });

  r.get('/hr/api/employees', async (req, res) => {
    const page = await hr.list(parseListQuery(req.query as Record<string, unknown>));
    res.json({ items: page.items.map(summary), nextCursor: page.nextCursor });
  });

  r.get('/hr/api/employees/:id', async (req, res) => {
    res.json(await hr.get(req.params.id));
  });

  r.post('/hr/api/employees', async (req, res) => {
    const e = await hr.hire(validateHire(req.body));
    res
      .status(201)
      .location(`/hr/api/employees/${encodeURIComponent(e.id)}`)
      .json({ id: e.id });
  });

  r.post('/hr/api/employees/:id/exit', async (req, res) => {
    res.json(summary(await hr.exit(req.params.id, validateExit(req.body))));
  });

  r.post('/hr/api/employees/:id/transfer', async (req, res) => {
    res.json(summary(await hr.transfer(req.params.id, validateTransfer(req.body))));
  });

  r.post('/hr/api/employees/:id/rehire', async (req, res) => {
    res.json(summary(await hr.rehire(req.params.id, validateRehire(req.body))));
  });

  return r;
}
