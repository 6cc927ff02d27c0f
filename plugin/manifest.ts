import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { ajv, toDetails } from './schemas/ajv';
import { ConfigError } from './errors';

type Title = { 'zh-CN': string; en: string };

export interface ManifestMenu {
  key: string;
  path: string;
  permission: string;
  title: Title;
  children?: ManifestMenu[];
}

export interface ManifestJob {
  id: string;
  cron: string;
  timezone: string;
  description: Title;
}

export interface Manifest {
  id: string;
  name: Title;
  description: Title;
  version: string;
  hostApi: string;
  basePath: string;
  permissions: Array<{ id: string; title: Title }>;
  roles: Array<{ id: string; title: Title; permissions: string[] }>;
  menus: ManifestMenu[];
  events: Array<{ type: string; handler: string }>;
  webhooks: Array<{ path: string; scheme: string; secretSetting: string }>;
  jobs: ManifestJob[];
  settings: Record<string, unknown>;
}

const title = {
  type: 'object',
  required: ['zh-CN', 'en'],
  additionalProperties: false,
  properties: { 'zh-CN': { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};

const menu: Record<string, unknown> = {
  type: 'object',
  required: ['key', 'path', 'permission', 'title'],
  additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1 },
    path: { type: 'string', pattern: '^/' },
    permission: { type: 'string', minLength: 1 },
    title,
    children: { type: 'array', items: { $ref: '#/definitions/menu' } },
  },
};

/** The shape of manifest.json itself, so a broken manifest fails at load naming the field. */
const manifestSchema = {
  type: 'object',
  definitions: { menu },
  required: ['id', 'name', 'version', 'hostApi', 'basePath', 'permissions', 'roles', 'menus', 'events', 'jobs', 'settings'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' },
    name: title,
    description: title,
    version: { type: 'string', minLength: 5 },
    hostApi: { type: 'string', minLength: 1 },
    basePath: { type: 'string', pattern: '^/[a-z0-9_-]+$' },
    permissions: {
      type: 'array',
      items: { type: 'object', required: ['id', 'title'], additionalProperties: false, properties: { id: { type: 'string' }, title } },
    },
    roles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'permissions'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, title, permissions: { type: 'array', items: { type: 'string' } } },
      },
    },
    menus: { type: 'array', items: { $ref: '#/definitions/menu' } },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'handler'],
        additionalProperties: false,
        properties: {
          type: { enum: ['employee.hired', 'employee.exited', 'employee.transferred', 'employee.updated'] },
          handler: { type: 'string' },
        },
      },
    },
    webhooks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'scheme', 'secretSetting'],
        additionalProperties: false,
        properties: { path: { type: 'string' }, scheme: { const: 'standard-webhooks' }, secretSetting: { type: 'string' } },
      },
    },
    jobs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'cron', 'timezone', 'description'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
          cron: { type: 'string', minLength: 9 },
          timezone: { type: 'string', minLength: 1 },
          description: title,
        },
      },
    },
    settings: {
      type: 'object',
      required: ['type', 'properties'],
      properties: { type: { const: 'object' }, properties: { type: 'object' } },
    },
  },
};

const validateManifestShape = ajv.compile<Manifest>(manifestSchema);

/** Checks the parts of a manifest that a schema cannot: references between its own lists, semver, timezones. */
function crossCheck(m: Manifest): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (!semver.valid(m.version)) problems.push({ path: 'manifest.version', message: 'is not a semantic version' });
  if (!semver.validRange(m.hostApi)) problems.push({ path: 'manifest.hostApi', message: 'is not a semver range' });
  const perms = new Set(m.permissions.map((p) => p.id));
  m.roles.forEach((r, i) =>
    r.permissions.forEach((p, j) => {
      if (!perms.has(p)) problems.push({ path: `manifest.roles.${i}.permissions.${j}`, message: `names unknown permission ${p}` });
    }),
  );
  const walk = (items: ManifestMenu[], at: string) =>
    items.forEach((item, i) => {
      if (!perms.has(item.permission))
        problems.push({ path: `${at}.${i}.permission`, message: `names unknown permission ${item.permission}` });
      if (item.children) walk(item.children, `${at}.${i}.children`);
    });
  walk(m.menus, 'manifest.menus');
  m.jobs.forEach((j, i) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: j.timezone });
    } catch {
      problems.push({ path: `manifest.jobs.${i}.timezone`, message: `is not a known timezone: ${j.timezone}` });
    }
  });
  try {
    ajv.compile(m.settings);
  } catch (err) {
    problems.push({ path: 'manifest.settings', message: `is not a valid JSON Schema: ${(err as Error).message}` });
  }
  return problems;
}

export function validateManifest(data: unknown): Manifest {
  if (!validateManifestShape(data)) {
    throw new ConfigError('manifest.json is invalid', toDetails(validateManifestShape.errors, 'manifest'));
  }
  const problems = crossCheck(data);
  if (problems.length) throw new ConfigError('manifest.json is invalid', problems);
  return data;
}

export const MANIFEST_PATH = path.join(__dirname, '..', 'manifest.json');

export function loadManifest(file = MANIFEST_PATH): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`manifest.json cannot be read: ${(err as Error).message}`);
  }
  return validateManifest(raw);
}

export function assertHostApi(m: Manifest, hostApiVersion: string): void {
  if (!semver.valid(hostApiVersion) || !semver.satisfies(hostApiVersion, m.hostApi)) {
    throw new ConfigError(`host API ${hostApiVersion} is outside the range this module supports (${m.hostApi})`, [
      { path: 'host.apiVersion', message: `must satisfy ${m.hostApi}` },
    ]);
  }
}
