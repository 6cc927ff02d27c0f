/**
 * The contract between the union module and the host HR/OA platform.
 * Types only: the module never imports the host; everything arrives through a HostContext.
 */
import type { Knex } from 'knex';
import type { Router, Request } from 'express';

export type EmploymentStatus = 'employed' | 'exited' | 'retired';

/** One employee as the host's master data knows them. The module reads, never copies, personal fields. */
export interface Employee {
  id: string;
  /** Employee number printed on badges (工号); may differ from id. */
  employeeNo: string;
  name: string;
  departmentId: string;
  gender: 'M' | 'F';
  birthDate: string; // YYYY-MM-DD
  hireDate: string; // YYYY-MM-DD
  /** First day the person is no longer employed; null while employed. */
  exitDate: string | null;
  exitReason?: string | null;
  status: EmploymentStatus;
  position?: string | null;
  shiftWorker?: boolean;
  expatriate?: boolean;
  phone?: string | null;
  email?: string | null;
  idNumber?: string | null;
  /**
   * Optional: life events HR keeps (marriage, childbirth, hospitalisation, bereavement), each a kind and a
   * YYYY-MM-DD date; they entitle a person to per-occurrence welfare without staff typing them in.
   */
  lifeEvents?: Array<{ kind: string; date: string }> | null;
  /** ISO 8601; when the host last changed this record. */
  updatedAt: string;
}

export interface Department {
  id: string;
  name: string;
  parentId?: string | null;
}

export interface EmployeePage {
  items: Employee[];
  /** Opaque; null when this was the last page. */
  nextCursor: string | null;
}

/** What matching a name or an employee number to a person needs of a record: no contact, no ID number. */
export type EmployeeBrief = Pick<
  Employee,
  'id' | 'employeeNo' | 'name' | 'departmentId' | 'status' | 'hireDate' | 'exitDate' | 'exitReason' | 'updatedAt'
>;

export interface EmployeeBriefPage {
  items: EmployeeBrief[];
  nextCursor: string | null;
}

export interface EmployeeDirectory {
  get(id: string): Promise<Employee | null>;
  getMany(ids: string[]): Promise<Employee[]>;
  list(opts: { cursor?: string | null; limit: number; updatedSince?: string | null }): Promise<EmployeePage>;
  /**
   * Optional (host API 1.2): the same pages as list() with only the fields of EmployeeBrief. The ledger
   * import reads everyone to match a ledger's names and numbers; at 100,000 people whole records are
   * most of its memory. Without it the module reads list() and keeps the same fields.
   */
  listBrief?(opts: { cursor?: string | null; limit: number }): Promise<EmployeeBriefPage>;
  departments(): Promise<Department[]>;
  /** Optional: ids of people whose name or employee number matches, for the ledger's keyword filter. */
  search?(text: string, limit: number): Promise<string[]>;
  /**
   * Optional: ids of the employed people holding a host role (e.g. `union_staff`), for routing
   * work to union staff before anyone is named for it. Without it the module falls back to its settings.
   */
  withRole?(role: string): Promise<string[]>;
}

/** How the host's SSO tokens are verified. */
export interface HostAuth {
  /** Shared secret for HS* algorithms, or a PEM public key for RS256/ES256 and kin. */
  key: string;
  algorithms: Array<'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512'>;
  issuer: string;
  audience: string;
  /** Seconds of clock skew accepted on exp/nbf; keep it small. */
  clockToleranceSec?: number;
  /** Cookie that carries the token for page requests. */
  cookieName: string;
  /** Where pages send a visitor without a valid token; `next` is appended. */
  loginUrl: string;
  /** Claim that holds the array of host role names. */
  rolesClaim?: string;
  /**
   * Optional (host API 1.1): the host roles the user holds now, `[]` for someone the host does not know.
   * The module asks on each request (cached for under a minute), so a role taken away ends access within
   * a minute whatever the token says. A host without it leaves the module trusting the token's roles
   * claim until the token expires; the module logs that once.
   */
  currentRoles?(userId: string): Promise<string[]>;
}

export interface MenuItem {
  key: string;
  path: string;
  title: { 'zh-CN': string; en: string };
  permission: string;
  children?: MenuItem[];
}

export interface MenuRegistration {
  pluginId: string;
  items: MenuItem[];
  /** Lets the host decide which items a signed-in user sees, without knowing the module's rules. */
  can(hostRoles: string[], permission: string): boolean;
}

export interface HostMenus {
  register(reg: MenuRegistration): void;
  unregister(pluginId: string): void;
}

export interface HostMount {
  mount(basePath: string, router: Router): void;
  unmount(basePath: string): void;
}

export type HostEventType = 'employee.hired' | 'employee.exited' | 'employee.transferred' | 'employee.updated';

export interface HostEvent {
  /** Unique per event; a redelivery carries the same id. */
  id: string;
  type: HostEventType;
  /** When the thing happened in the host (ISO 8601), not when it was delivered. */
  timestamp: string;
  data: {
    employeeId: string;
    departmentId?: string;
    fromDepartmentId?: string;
    hireDate?: string;
    exitDate?: string;
    reason?: string;
    retired?: boolean;
    [key: string]: unknown;
  };
}

export type HostEventHandler = (event: HostEvent) => Promise<void>;

export interface HostEvents {
  on(type: HostEventType, handler: HostEventHandler): void;
  off(type: HostEventType, handler: HostEventHandler): void;
}

export interface Notification {
  /** Employee ids. */
  to: string[];
  template: string;
  data: Record<string, unknown>;
  channels?: Array<'sms' | 'wecom' | 'dingtalk' | 'inapp'>;
  /** Since 1.1: what the person reads, already in their language; hosts of 1.0 read template and data. */
  title?: string;
  body?: string;
  /** Since 1.1: where the person acts, a path under the host (e.g. /union/join). */
  link?: string;
}

export interface HostNotify {
  send(n: Notification): Promise<void>;
}

export interface HostLogger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface HostClock {
  now(): Date;
}

export interface PageShell {
  title: string;
  html: string;
  lang: 'zh-CN' | 'en';
}

/** Optional: lets module pages sit inside the host's shell (its menu bar stays visible). */
export interface HostUi {
  wrapPage(req: Request, page: PageShell): string;
}

export interface HostContext {
  /** Semver of the host plugin API, checked against manifest.hostApi. */
  apiVersion: string;
  db: Knex;
  employees: EmployeeDirectory;
  auth: HostAuth;
  menus: HostMenus;
  mount: HostMount;
  events: HostEvents;
  notify: HostNotify;
  logger: HostLogger;
  clock: HostClock;
  ui?: HostUi;
  /** The module's settings as the host's plugin manager stores them; validated against manifest.settings. */
  settings: Record<string, unknown>;
  /** Distinguishes instances of the host for job leases. */
  instanceId?: string;
}
