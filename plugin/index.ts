import type { HostContext, HostEventHandler, HostEventType, MenuItem } from './host';
import { assertHostApi, loadManifest, type Manifest } from './manifest';
import { resolveSettings } from './settings';
import { createCtx, type Ctx } from './context';
import { assertSchemaNotNewer, dropLedger, migrateLatest, migrateRollbackAll } from './migrate';
import { permissionsFor, rolesFor } from './auth';
import { buildRouter } from './routes';
import { Scheduler, type JobTrigger } from './jobs/scheduler';
import { eventHandler } from './sync/events';
import { reconcile } from './sync/reconcile';
import { applyDue } from './jobs/apply-due';
import { ensureRootOrg } from './services/orgs';
import { recordInstall } from './services/install-info';
import { exportAll } from './services/backup';
import { purgeOldImportRows, recoverStale } from './services/imports';
import { ConfigError } from './errors';

export interface UnionPlugin {
  readonly manifest: Manifest;
  install(): Promise<void>;
  enable(): Promise<void>;
  disable(): Promise<void>;
  /** Keeps every table unless dropTables is set; dropping needs exportDir, where a full copy is written first. */
  uninstall(opts?: { dropTables?: boolean; exportDir?: string }): Promise<void>;
  isEnabled(): boolean;
  /** What is running in this process: for the host's plugin page and for tests. */
  status(): { enabled: boolean; scheduledJobs: number };
  /** The services' context, for the host's tools and for tests. */
  readonly ctx: Ctx;
  /** Runs a manifest job now, under its lease (what a button does). */
  runJob(jobId: string, by: JobTrigger): Promise<{ ran: boolean; value?: unknown }>;
}

/**
 * The module's lifecycle, NocoBase-style: install runs migrations; enable mounts, registers menus,
 * subscribes to events and starts jobs; disable undoes exactly that and keeps every row.
 */
export function createPlugin(host: HostContext): UnionPlugin {
  const manifest = loadManifest();
  assertHostApi(manifest, host.apiVersion);
  const settings = resolveSettings(manifest, host.settings);
  const ctx = createCtx(host, manifest, settings);
  const scheduler = new Scheduler(ctx, {
    reconcile: (c, by) => reconcile(c, by),
    'apply-due': async (c) => ({ ...(await applyDue(c)), importRowsPurged: await purgeOldImportRows(c) }),
  });
  const onEvent: HostEventHandler = eventHandler(ctx);
  let enabled = false;
  let installed = false;

  const menuItems = (items = manifest.menus): MenuItem[] =>
    items.map((m) => ({
      key: m.key,
      path: m.path,
      title: m.title,
      permission: m.permission,
      children: m.children && menuItems(m.children),
    }));

  const plugin: UnionPlugin = {
    manifest,
    ctx,
    async install() {
      await migrateLatest(host.db);
      await ensureRootOrg(ctx);
      await recordInstall(ctx);
      // The first sync records who is employed (not enrolling anyone), so coverage is right from the start.
      if (!(await host.db('union_employees').first('employee_id'))) {
        await reconcile(ctx, { trigger: 'install', actor: { id: 'system:install', kind: 'system' } });
      }
      installed = true;
    },
    async enable() {
      if (enabled) return;
      if (!installed) {
        await assertSchemaNotNewer(host.db);
        await plugin.install();
      }
      // Imports left running by a process that died are failed and their staged rows deleted, now.
      await recoverStale(ctx).catch((err: unknown) => host.logger.error({ err }, 'union: could not recover stalled imports'));
      host.mount.mount(manifest.basePath, await buildRouter(ctx, { runJob: (id, by) => scheduler.run(id, by) }));
      host.menus.register({
        pluginId: manifest.id,
        items: menuItems(),
        can: (hostRoles, permission) => permissionsFor(manifest, rolesFor(settings, hostRoles)).has(permission),
      });
      for (const e of manifest.events) host.events.on(e.type as HostEventType, onEvent);
      scheduler.start();
      enabled = true;
      host.logger.info({ plugin: manifest.id, version: manifest.version }, 'union: enabled');
    },
    async disable() {
      if (!enabled) return;
      scheduler.stop();
      for (const e of manifest.events) host.events.off(e.type as HostEventType, onEvent);
      host.menus.unregister(manifest.id);
      host.mount.unmount(manifest.basePath);
      enabled = false;
      host.logger.info({ plugin: manifest.id }, 'union: disabled; data kept');
    },
    async uninstall(opts = {}) {
      if (opts.dropTables && !opts.exportDir) {
        throw new ConfigError('Dropping the union tables needs an export first', [
          { path: 'uninstall.exportDir', message: 'is required when dropTables is set' },
        ]);
      }
      await plugin.disable();
      if (opts.dropTables) {
        const counts = await exportAll(host.db, opts.exportDir!);
        host.logger.warn({ exportDir: opts.exportDir, counts }, 'union: data exported; dropping tables');
        await migrateRollbackAll(host.db);
        await dropLedger(host.db);
      }
      installed = false;
    },
    isEnabled: () => enabled,
    status: () => ({ enabled, scheduledJobs: scheduler.running }),
    runJob: (id, by) => scheduler.run(id, by),
  };
  return plugin;
}

export type { HostContext } from './host';
export type { Manifest } from './manifest';
