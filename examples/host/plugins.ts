/**
 * The host's plugin manager. host_plugins is the source of truth (enabled, installed, settings) so
 * every host instance converges on the same state: at startup, and whenever reconcile() runs.
 * A plugin that fails to load or enable is reported, never allowed to take the host down.
 */
import type { Knex } from 'knex';
import type { HostContext, HostLogger } from '../../plugin/host';
import type { UnionPlugin } from '../../plugin';
import { HttpError, notFound } from './errors';
import { sqlDateTime } from './time';

/** What the manager needs of a plugin; the union module's UnionPlugin is one. */
export type HostPlugin = Pick<UnionPlugin, 'install' | 'enable' | 'disable' | 'uninstall' | 'isEnabled'> & {
  manifest: { id: string; name: { 'zh-CN': string; en: string }; version: string };
};

export interface PluginSource {
  id: string;
  /** Loaded lazily, so a missing or broken plugin is an entry with an error instead of a crash. */
  load(): { createPlugin(host: HostContext): HostPlugin };
}

export interface PluginInfo {
  id: string;
  name: string;
  version: string;
  enabled: boolean;
  installed: boolean;
}

export interface PluginDetail extends PluginInfo {
  title: { 'zh-CN': string; en: string };
  error?: string;
}

/** The plugins this host ships with. */
export const defaultSources: PluginSource[] = [
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  { id: 'union', load: () => require('../../plugin') },
];

interface Entry {
  source: PluginSource;
  plugin?: HostPlugin;
  error?: string;
  /** Lifecycle calls on one plugin run one after another, never interleaved. */
  queue: Promise<unknown>;
}

interface Row {
  id: string;
  enabled: number | boolean;
  installed: number | boolean;
  settings: string | null;
}

export class PluginManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Knex,
    /** The host context without settings; each plugin gets its own settings merged in. */
    private readonly host: Omit<HostContext, 'settings'>,
    private readonly logger: HostLogger,
    sources: PluginSource[] = defaultSources,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    for (const source of sources) this.entries.set(source.id, { source, queue: Promise.resolve() });
  }

  /** The running instance (undefined until it loaded); tests use it to reach the module's own tools. */
  instance(id: string): HostPlugin | undefined {
    return this.entries.get(id)?.plugin;
  }

  async list(): Promise<PluginDetail[]> {
    // Name and version come from the manifest, so load what has not been loaded (or failed) yet.
    for (const e of this.entries.values()) if (!e.plugin && !e.error) await this.load(e).catch(() => undefined);
    const rows = new Map((await this.db<Row>('host_plugins').select()).map((r) => [r.id, r]));
    return [...this.entries.entries()].map(([id, e]) => {
      const m = e.plugin?.manifest;
      const title = m?.name ?? { 'zh-CN': id, en: id };
      return {
        id,
        name: title['zh-CN'],
        version: m?.version ?? '',
        // What this instance actually serves, which is what a caller of this instance sees.
        enabled: e.plugin?.isEnabled() ?? false,
        installed: Boolean(rows.get(id)?.installed),
        title,
        ...(e.error ? { error: e.error } : {}),
      };
    });
  }

  async enable(id: string): Promise<void> {
    await this.serial(id, async (entry) => {
      const plugin = await this.load(entry);
      await plugin.install();
      await plugin.enable();
      await this.save(id, { enabled: true, installed: true });
      this.logger.info({ plugin: id }, 'plugin enabled');
    });
  }

  async disable(id: string): Promise<void> {
    await this.serial(id, async (entry) => {
      if (entry.plugin?.isEnabled()) await entry.plugin.disable();
      await this.save(id, { enabled: false });
      this.logger.info({ plugin: id }, 'plugin disabled');
    });
  }

  /** Keeps the plugin's tables unless dropTables is set; the caller is responsible for an export first. */
  async uninstall(id: string, opts: { dropTables?: boolean; exportDir?: string } = {}): Promise<void> {
    await this.serial(id, async (entry) => {
      const plugin = await this.load(entry);
      await plugin.uninstall(opts);
      await this.save(id, { enabled: false, installed: false });
    });
  }

  /** Stored settings for the plugin, merged with secrets that only the environment should hold. */
  async settings(id: string): Promise<Record<string, unknown>> {
    const row = await this.db<Row>('host_plugins').where({ id }).first();
    let stored: Record<string, unknown> = {};
    if (row?.settings) {
      try {
        stored = JSON.parse(row.settings);
      } catch {
        this.logger.warn({ plugin: id }, 'host_plugins.settings is not JSON; using defaults');
      }
    }
    const secret = this.env[`${id.toUpperCase()}_WEBHOOK_SECRET`];
    return secret ? { ...stored, webhookSecret: secret } : stored;
  }

  /** Startup: load every plugin (so the manager page can show it) and re-enable those stored as enabled. */
  async start(): Promise<void> {
    for (const e of this.entries.values()) await this.load(e).catch(() => undefined);
    await this.reconcile();
  }

  /** Brings this instance in line with host_plugins: startup, and periodically when several instances run. */
  async reconcile(): Promise<void> {
    const rows = new Map((await this.db<Row>('host_plugins').select()).map((r) => [r.id, r]));
    for (const id of this.entries.keys()) {
      const want = Boolean(rows.get(id)?.enabled);
      try {
        await this.serial(id, async (entry) => {
          const running = entry.plugin?.isEnabled() ?? false;
          if (want && !running) {
            const plugin = await this.load(entry);
            await plugin.install();
            await plugin.enable();
          } else if (!want && running) await entry.plugin?.disable();
        });
      } catch (err) {
        this.logger.error({ err, plugin: id }, 'plugin could not be brought to its stored state');
      }
    }
  }

  /** Stops plugins in this process (jobs, subscriptions) without changing the stored state. */
  async stop(): Promise<void> {
    for (const [id, entry] of this.entries) {
      await this.serial(id, async () => {
        if (entry.plugin?.isEnabled()) await entry.plugin.disable();
      }).catch((err) => this.logger.error({ err, plugin: id }, 'plugin did not stop cleanly'));
    }
  }

  private async load(entry: Entry): Promise<HostPlugin> {
    if (entry.plugin) return entry.plugin;
    const id = entry.source.id;
    try {
      const settings = await this.settings(id);
      entry.plugin = entry.source.load().createPlugin({ ...this.host, settings });
      entry.error = undefined;
      return entry.plugin;
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
      this.logger.error({ err, plugin: id }, 'plugin failed to load');
      throw new HttpError(409, 'plugin_unavailable', `Plugin ${id} could not be loaded: ${entry.error}`);
    }
  }

  private serial(id: string, work: (entry: Entry) => Promise<void>): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.reject(notFound(`No plugin ${id}`));
    const run = entry.queue.then(() => work(entry));
    entry.queue = run.catch(() => undefined);
    return run;
  }

  private async save(id: string, state: { enabled?: boolean; installed?: boolean }): Promise<void> {
    const updated_at = sqlDateTime(this.host.clock.now());
    await this.db('host_plugins')
      .insert({ id, enabled: state.enabled ?? false, installed: state.installed ?? false, settings: null, updated_at })
      .onConflict('id')
      .merge({ ...state, updated_at });
  }
}
