/**
 * Assembles the reference host: its HostContext for plugins, its pages and JSON APIs, and the
 * plugin manager. Used by server.ts and by tests (supertest), which pass their own db and clock.
 */
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import type { HostAuth, HostClock, HostContext, HostLogger } from '../../plugin/host';
import { adminPages } from './admin-pages';
import { createEmployeeDirectory } from './directory';
import { errorHandler, notFound } from './errors';
import { EventBus } from './events';
import { sameOrigin } from './guards';
import { hostApi } from './host-api';
import { HrService } from './hr';
import { hrApi } from './hr-api';
import { Shell } from './layout';
import { createLogger, requestLog } from './logger';
import { HOST_MENU, MenuRegistry } from './menus';
import { MountDispatcher } from './mount';
import { createNotify } from './notify';
import { publicPages } from './pages';
import { PluginManager, defaultSources, type PluginSource } from './plugins';
import { createHostSchema } from './schema';
import { hostAuth, resolveSecret, Sessions } from './sso';
import { systemClock } from './time';
import { currentRoles } from './users';

/**
 * The host plugin API this host implements (1.1: auth.currentRoles; 1.2: employees.listBrief); plugins
 * declare the range they accept (manifest.hostApi).
 */
export const HOST_API_VERSION = '1.2.0';

export interface HostAppOptions {
  db: Knex;
  /** SSO signing key; default HOST_SSO_SECRET or the development secret. */
  secret?: string;
  clock?: HostClock;
  logger?: HostLogger;
  instanceId?: string;
  /** Which plugins the manager knows; default the union module. */
  plugins?: PluginSource[];
  /** Re-enable plugins stored as enabled (default true). */
  startPlugins?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface HostApp {
  app: Express;
  /** The context handed to plugins (settings empty: each plugin gets its own from the manager). */
  host: HostContext;
  plugins: PluginManager;
  bus: EventBus;
  menus: MenuRegistry;
  mounts: MountDispatcher;
  hr: HrService;
  auth: HostAuth;
  /** Stops plugins in this process (jobs, subscriptions); leaves stored state and the db connection alone. */
  close(): Promise<void>;
}

/** TRUST_PROXY: `true`, a hop count, or addresses/subnets as Express takes them; unset or `false`: trust nobody. */
export function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  const v = value?.trim();
  if (!v || v === 'false') return undefined;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

export async function createHostApp(opts: HostAppOptions): Promise<HostApp> {
  const { db } = opts;
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger();
  const secret = resolveSecret(opts.secret);
  await createHostSchema(db);

  const bus = new EventBus(logger, clock);
  const menus = new MenuRegistry();
  menus.register(HOST_MENU);
  const mounts = new MountDispatcher();
  const sessions = new Sessions(secret, clock);
  const shell = new Shell(sessions, menus);
  const auth: HostAuth = { ...hostAuth(secret), currentRoles: (id) => currentRoles(db, id) };
  const host: HostContext = {
    apiVersion: HOST_API_VERSION,
    db,
    employees: createEmployeeDirectory(db),
    auth,
    menus,
    mount: mounts,
    events: bus,
    notify: createNotify(db, clock, logger),
    logger,
    clock,
    ui: shell.ui(),
    settings: {},
    instanceId: opts.instanceId,
  };
  const plugins = new PluginManager(db, host, logger, opts.plugins ?? defaultSources, opts.env ?? process.env);
  const hr = new HrService(db, bus, clock);

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy, req.secure (and so the session cookie's Secure flag) follows X-Forwarded-Proto.
  const trustProxy = parseTrustProxy((opts.env ?? process.env).TRUST_PROXY);
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use(requestLog(logger));
  app.use(cookieParser());
  // Plugins first and untouched: they bring their own parsers (a webhook needs the raw body) and headers.
  app.use(mounts.middleware);

  const site = express.Router();
  // Plain-http local runs must not have their stylesheet "upgraded" to an https that is not there.
  site.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  // HR pages and APIs carry personal data: no shared or browser cache keeps them (the stylesheet sets its own).
  site.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  site.use(hostApi(plugins, sessions));
  site.use(hrApi(hr, sessions));
  site.use(express.urlencoded({ extended: false, limit: '32kb' }), sameOrigin());
  site.use(publicPages({ db, sessions, shell, menus }));
  site.use(adminPages({ sessions, shell, hr, plugins }));
  site.use((req, _res, next) => next(notFound(`Nothing at ${req.path}`)));
  app.use(site);
  app.use(errorHandler(logger, (req, status, message) => shell.errorPage(req, status, message)));

  if (opts.startPlugins !== false) await plugins.start();

  return { app, host, plugins, bus, menus, mounts, hr, auth, close: () => plugins.stop() };
}
