/** The plugin manager's JSON API (admin only). */
import express, { type Router } from 'express';
import { apiAdmin, jsonOrBearer } from './guards';
import type { PluginManager } from './plugins';
import type { Sessions } from './sso';

export function hostApi(plugins: PluginManager, sessions: Sessions): Router {
  const r = express.Router();
  r.use('/host/api', apiAdmin(sessions), jsonOrBearer(), express.json({ limit: '64kb' }));

  r.get('/host/api/plugins', async (_req, res) => {
    res.json((await plugins.list()).map(({ id, name, version, enabled, installed }) => ({ id, name, version, enabled, installed })));
  });

  r.post('/host/api/plugins/:id/enable', async (req, res) => {
    await plugins.enable(req.params.id);
    res.json(await info(plugins, req.params.id));
  });

  r.post('/host/api/plugins/:id/disable', async (req, res) => {
    await plugins.disable(req.params.id);
    res.json(await info(plugins, req.params.id));
  });

  return r;
}

async function info(plugins: PluginManager, id: string) {
  const p = (await plugins.list()).find((x) => x.id === id);
  return p && { id: p.id, name: p.name, version: p.version, enabled: p.enabled, installed: p.installed };
}
