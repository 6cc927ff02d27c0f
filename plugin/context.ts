import type { Knex } from 'knex';
import type { HostContext, HostEvent } from './host';
import type { Manifest } from './manifest';
import type { Settings } from './settings';
import { dateIn, sqlDateTime } from './lib/time';
import { DomainBus } from './events/domain';
import { safeLogger } from './lib/log-safe';

/** What every service receives: the host's parts plus the module's resolved settings. */
export interface Ctx {
  host: HostContext;
  db: Knex;
  manifest: Manifest;
  settings: Settings;
  instanceId: string;
  /** Carries what writers publish to the areas that subscribed (set by the lifecycle from the areas). */
  bus: DomainBus;
  /**
   * Hands host events that came in by the webhook (a committed batch, in the order they were applied) to
   * every other area subscribed to their types, as the host's in-process bus would (set by the lifecycle
   * from the manifest's events; the area that received them has already applied them and is left out).
   */
  relayHostEvents(events: HostEvent[], receivedBy: string): Promise<void>;
  now(): Date;
  /** Today's calendar date in the module's timezone. */
  today(): string;
  /** Now as a stored UTC datetime string. */
  nowSql(): string;
}

export function createCtx(host: HostContext, manifest: Manifest, settings: Settings): Ctx {
  return {
    // The module logs through a logger that never writes an error's values (see lib/log-safe.ts).
    host: { ...host, logger: safeLogger(host.logger) },
    db: host.db,
    manifest,
    settings,
    instanceId: host.instanceId ?? `pid-${process.pid}`,
    bus: new DomainBus(),
    relayHostEvents: async () => undefined,
    now: () => host.clock.now(),
    today: () => dateIn(settings.timezone, host.clock.now()),
    nowSql: () => sqlDateTime(host.clock.now()),
  };
}

/** Who did something, as written into audit and history rows. */
export interface Actor {
  /** An employee id, or a system actor such as 'event:evt_123', 'job:reconcile'. */
  id: string;
  kind: 'user' | 'event' | 'job' | 'import' | 'system';
}

export type Trx = Knex.Transaction;
