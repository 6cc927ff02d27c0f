import type { Request, RequestHandler, Response, Router } from 'express';
import type { Actor, Ctx, Trx } from '../context';
import type { UnionUser } from '../auth';
import type { Lang } from '../i18n';
import type { HostEvent } from '../host';
import type { JobRunner, JobTrigger } from '../jobs/scheduler';
import type { LeaseOutcome } from '../jobs/lease';
import type { DomainEvent, DomainEventType } from '../events/domain';
import type { ListName } from '../services/list-cache';

/** A permission an area checks, spelled once as a constant; its key is what templates see under `can.`. */
export type PermissionSet = Readonly<Record<string, string>>;

/**
 * Who may call an endpoint: a permission constant, or `signedIn` for anyone with a valid token
 * (the endpoint then decides per record, e.g. "a person may read their own membership").
 */
export type Access = string | 'signedIn';

/** What an endpoint's `run` receives: validated input and the caller; never the raw request. */
export interface Call<P = Record<string, string>, B = unknown, Q = unknown> {
  ctx: Ctx;
  user: UnionUser;
  actor: Actor;
  lang: Lang;
  params: P;
  body: B;
  query: Q;
  req: Request;
  res: Response;
  /** Runs a manifest job now, under its lease (what a button does). */
  runJob(jobId: string, by: JobTrigger): Promise<LeaseOutcome<unknown>>;
}

/** How an action answers a JSON client: the status and the body (default 200 and run's result). */
export type JsonAnswer<O> = (
  out: O,
  call: Call<never, never, never>,
) => { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>;

/**
 * One action, declared once. It may be reached as a JSON API (`api`) and as an HTML form post
 * (`form`); both share the permission, the schemas and the service call, and differ only in how
 * they answer: JSON, or a redirect with a flash message.
 */
export interface Action<P = Record<string, string>, B = unknown, Q = unknown, O = unknown> {
  kind: 'action';
  name: string;
  method: 'get' | 'post' | 'put' | 'delete';
  api?: string;
  form?: string;
  access: Access;
  params?: object;
  body?: object;
  query?: object;
  run(call: Call<P, B, Q>): Promise<O>;
  json?: JsonAnswer<O>;
  /** Where a form post goes afterwards: a path, with a flash key and its variables. */
  redirect?(out: O, call: Call<P, B, Q>): { to: string; flash?: string; vars?: Record<string, string | number>; kind?: 'ok' | 'error' };
  /**
   * A form post whose run throws may answer otherwise than the error page: a redirect with a flash,
   * or one of the area's pages shown again with a message and the error's status.
   */
  formError?(err: unknown, call: Call<P, B, Q>): FormFallback | null;
  /** Streams its own answer (exports, downloads); json/redirect are then unused. */
  stream?: boolean;
  /**
   * A GET whose answer depends only on the caller's scope, the query and this list's rows: served from
   * the list cache (services/list-cache.ts), with an ETag and 304 for a matching If-None-Match.
   */
  cache?: ListName;
}

export type FormFallback =
  | { to: string; flash?: string; vars?: Record<string, string | number>; kind?: 'ok' | 'error' }
  | { page: Page<any, any>; extra: Record<string, unknown>; status: number }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A page: a GET that renders one of the area's views inside the host's shell. */
export interface Page<P = Record<string, string>, Q = unknown> {
  kind: 'page';
  name: string;
  path: string;
  access: Access;
  /** The manifest menu key whose entry is highlighted. */
  navKey: string;
  titleKey: string;
  view: string;
  params?: object;
  query?: object;
  load(call: Call<P, never, Q>): Promise<Record<string, unknown>>;
  /** load() depends only on the caller's scope, the query and this list's rows (see Action.cache). */
  cache?: ListName;
}

export type Endpoint = Action<any, any, any, any> | Page<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface InTransaction {
  trx: Trx;
  actor: Actor;
  actorFor(employeeId: string): Actor;
}

/** Reacts to what another area's writer published: inside its transaction, or after it committed. */
export interface Subscriber {
  name: string;
  on: readonly DomainEventType[];
  phase: 'inTransaction' | 'afterCommit';
  /**
   * `tx` is the writer's transaction and actor for in-transaction subscribers; absent after commit. A
   * batch may mix causes (webhook events): `actorFor` names who caused a given person's change.
   */
  handle(ctx: Ctx, events: DomainEvent[], tx?: InTransaction): Promise<void>;
}

/** Everything an area brings, in one typed object. The lifecycle and the router loop over the list of areas. */
export interface Area {
  id: string;
  /** i18n namespaces (plugin/i18n/<lang>/<namespace>.json) this area owns. */
  i18n: readonly string[];
  permissions: PermissionSet;
  endpoints: readonly Endpoint[];
  /** Runners for manifest jobs, by job id. */
  jobs?: Readonly<Record<string, JobRunner>>;
  /** Handlers for host events, by the name the manifest gives as `<area>#<name>`. */
  hostEvents?: Readonly<Record<string, (ctx: Ctx, event: HostEvent) => Promise<void>>>;
  /**
   * The same handlers for many events at once, by the same names (optional). The webhook receiver relays
   * a committed batch of deliveries in one call, so an area does one transaction per batch, not per event.
   */
  hostEventBatches?: Readonly<Record<string, (ctx: Ctx, events: HostEvent[]) => Promise<void>>>;
  subscribers?: readonly Subscriber[];
  /** Routes reached without the host's sign-in (signed webhooks), mounted before authentication. */
  publicRoutes?(ctx: Ctx): Router;
  /** Runs after sign-in and before the CSRF check (a multipart form carries its token inside the body). */
  beforeCsrf?(): RequestHandler;
  /** After the migrations, when the module is installed; `{ synced: true }` when it read the host's employees already. */
  install?(ctx: Ctx): Promise<{ synced?: boolean } | void>;
  /** When the module is being enabled, before its routes are mounted: repairs that must come first. */
  beforeEnable?(ctx: Ctx): Promise<void>;
  /**
   * When the module is enabled (after mounting and subscribing): background work such as catching up on
   * what happened while it was off. `installSynced` says whether this enable's install just read the host.
   * The returned `stop` runs on disable and waits for that work to let go.
   */
  onEnable?(ctx: Ctx, opts: { runJob: Call['runJob']; installSynced: boolean }): { stop(): Promise<void> } | void;
}

/** Identity helpers that keep the types of a declaration's parts (TypeScript infers P, B, Q, O). */
export function action<P = Record<string, string>, B = unknown, Q = unknown, O = unknown>(
  a: Omit<Action<P, B, Q, O>, 'kind'>,
): Action<P, B, Q, O> {
  return { kind: 'action', ...a };
}

export function page<P = Record<string, string>, Q = unknown>(p: Omit<Page<P, Q>, 'kind'>): Page<P, Q> {
  return { kind: 'page', ...p };
}
