import { errorShape } from './lib/log-safe';
import type { HostContext, HostEvent, HostEventHandler, HostEventType, MenuItem } from './host';
import { assertHostApi, loadManifest, type Manifest } from './manifest';
import { resolveSettings } from './settings';
import { createCtx, type Ctx } from './context';
import { assertSchemaNotNewer, dropLedger, migrateLatest, migrateRollbackAll } from './migrate';
import { permissionsFor, rolesFor } from './auth';
import { buildRouter } from './routes';
import { Scheduler, type JobRunner, type JobTrigger } from './jobs/scheduler';
import type { LeaseOutcome } from './jobs/lease';
import { exportAll } from './services/backup';
import { ConfigError } from './errors';
import { AREAS } from './areas';
import { checkAreas } from './areas/check';
import type { Area } from './areas/types';
import { DomainBus } from './events/domain';
import { setCapabilities } from './views/render';

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
  runJob(jobId: string, by: JobTrigger): Promise<LeaseOutcome<unknown>>;
}

/** The manifest's host-event subscriptions, each bound to the area handler it names (`<area>#<handler>`). */
function hostSubscriptions(
  ctx: Ctx,
  manifest: Manifest,
  areas: readonly Area[],
): Array<{ type: HostEventType; areaId: string; handler: HostEventHandler }> {
  return manifest.events.map((e) => {
    const [areaId, name] = e.handler.split('#');
    const handle = areas.find((a) => a.id === areaId)!.hostEvents![name];
    return { type: e.type as HostEventType, areaId, handler: (event: HostEvent) => handle(ctx, event) };
  });
}

/**
 * Webhook events reach the other areas as soon as their batch has committed, in manifest order, as the
 * in-process bus would bring them: each area handler once with all of the batch's events of the types it
 * subscribed to (its batch form, else one call per event in order). A failing area is logged and left to
 * its nightly refresh: the sender must not retry what was already applied.
 */
function hostEventRelay(ctx: Ctx, manifest: Manifest, areas: readonly Area[]): Ctx['relayHostEvents'] {
  const handlers = new Map<string, { areaId: string; name: string; types: Set<string> }>();
  for (const e of manifest.events) {
    const [areaId, name] = e.handler.split('#');
    const h = handlers.get(e.handler) ?? handlers.set(e.handler, { areaId, name, types: new Set() }).get(e.handler)!;
    h.types.add(e.type);
  }
  return async (events, receivedBy) => {
    for (const { areaId, name, types } of handlers.values()) {
      const mine = events.filter((e) => types.has(e.type));
      if (areaId === receivedBy || !mine.length) continue;
      const area = areas.find((a) => a.id === areaId)!;
      const batch = area.hostEventBatches?.[name];
      try {
        if (batch) await batch(ctx, mine);
        else for (const e of mine) await area.hostEvents![name](ctx, e);
      } catch (err) {
        ctx.host.logger.error(
          { err: errorShape(err), events: mine.length, firstEventId: mine[0].id, area: areaId },
          'union: webhook events could not be relayed',
        );
      }
    }
  };
}

/**
 * The module's lifecycle, NocoBase-style: install runs migrations; enable mounts, registers menus,
 * subscribes to events and starts jobs; disable undoes exactly that and keeps every row. What is
 * mounted, registered, subscribed and started comes from the areas (plugin/areas).
 */
export function createPlugin(host: HostContext, areas: readonly Area[] = AREAS): UnionPlugin {
  const manifest = loadManifest();
  assertHostApi(manifest, host.apiVersion);
  setCapabilities(checkAreas(manifest, areas));
  const settings = resolveSettings(manifest, host.settings);
  const ctx = createCtx(host, manifest, settings);
  ctx.bus = new DomainBus(areas.flatMap((a) => a.subscribers ?? []));
  const runners: Record<string, JobRunner> = Object.assign({}, ...areas.map((a) => a.jobs ?? {}));
  const scheduler = new Scheduler(ctx, runners);
  const subscriptions = hostSubscriptions(ctx, manifest, areas);
  ctx.relayHostEvents = hostEventRelay(ctx, manifest, areas);
  let enabled = false;
  let installed = false;
  /** Whether the install this enable ran read the host already (then there is nothing to catch up on). */
  let installSynced = false;
  let stoppers: Array<{ stop(): Promise<void> }> = [];

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
      for (const a of areas) if ((await a.install?.(ctx))?.synced) installSynced = true;
      installed = true;
    },
    async enable() {
      if (enabled) return;
      if (!installed) {
        await assertSchemaNotNewer(host.db);
        await plugin.install();
      }
      for (const a of areas) await a.beforeEnable?.(ctx);
      host.mount.mount(manifest.basePath, await buildRouter(ctx, areas, { runJob: (id, by) => scheduler.run(id, by) }));
      host.menus.register({
        pluginId: manifest.id,
        items: menuItems(),
        can: (hostRoles, permission) => permissionsFor(manifest, rolesFor(settings, hostRoles)).has(permission),
      });
      for (const s of subscriptions) host.events.on(s.type, s.handler);
      scheduler.start();
      // Changes made while the module was off reached it by no event: reconcile, unless install just did.
      const runJob = (id: string, by: JobTrigger) => scheduler.run(id, by);
      stoppers = areas.flatMap((a) => a.onEnable?.(ctx, { runJob, installSynced }) ?? []);
      installSynced = false;
      enabled = true;
      host.logger.info({ plugin: manifest.id, version: manifest.version }, 'union: enabled');
    },
    async disable() {
      if (!enabled) return;
      await Promise.all(stoppers.map((s) => s.stop()));
      stoppers = [];
      scheduler.stop();
      for (const s of subscriptions) host.events.off(s.type, s.handler);
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
