import type { Manifest, ManifestMenu } from '../manifest';
import type { Area } from './types';
import { ConfigError, type ErrorDetail } from '../errors';
import { hasKey, LANGS, namespaces } from '../i18n';
import { hasView, templateSources } from '../views/render';

/** `{{t 'key'}}` and `(t "key")` with a literal key, as the templates write them. */
const T_CALL = /\(?\bt\s+['"]([\w.]+)['"]/g;
const CAN = /\bcan\.(\w+)/g;

function checkPermissions(manifest: Manifest, areas: readonly Area[], problems: ErrorDetail[]): Map<string, string> {
  const declared = new Set(manifest.permissions.map((p) => p.id));
  const capabilities = new Map<string, string>();
  const owned = new Set<string>();
  for (const a of areas) {
    for (const [key, id] of Object.entries(a.permissions)) {
      if (!declared.has(id))
        problems.push({ path: `areas.${a.id}.permissions.${key}`, message: `names ${id}, which manifest.json does not declare` });
      if (capabilities.has(key) && capabilities.get(key) !== id)
        problems.push({ path: `areas.${a.id}.permissions.${key}`, message: 'is also a key of another area with another permission' });
      capabilities.set(key, id);
      owned.add(id);
    }
  }
  manifest.permissions.forEach((p, i) => {
    if (!owned.has(p.id)) problems.push({ path: `manifest.permissions.${i}`, message: `${p.id} belongs to no area` });
  });
  return capabilities;
}

function checkEndpoints(areas: readonly Area[], problems: ErrorDetail[]): void {
  const names = new Set<string>();
  for (const a of areas) {
    const mine = new Set(Object.values(a.permissions));
    for (const e of a.endpoints) {
      const at = `areas.${a.id}.endpoints.${e.name}`;
      if (names.has(e.name)) problems.push({ path: at, message: 'is declared twice' });
      names.add(e.name);
      if (e.access !== 'signedIn' && !mine.has(e.access))
        problems.push({ path: `${at}.access`, message: `names ${e.access}, which is not one of the area's permissions` });
      if (e.kind === 'page') {
        if (!hasView(e.view)) problems.push({ path: `${at}.view`, message: `names ${e.view}, which has no template` });
        for (const lang of LANGS)
          if (!hasKey(lang, e.titleKey)) problems.push({ path: `${at}.titleKey`, message: `${e.titleKey} is missing in ${lang}` });
      } else {
        if (!e.api && !e.form) problems.push({ path: at, message: 'has neither an api nor a form path' });
        if (e.form && !e.redirect && !e.stream) problems.push({ path: `${at}.redirect`, message: 'is required for a form post' });
      }
    }
    for (const ns of a.i18n)
      if (!namespaces().includes(ns)) problems.push({ path: `areas.${a.id}.i18n`, message: `names ${ns}, which has no file` });
  }
}

function checkJobsAndEvents(manifest: Manifest, areas: readonly Area[], problems: ErrorDetail[]): void {
  const runners = new Map<string, string[]>();
  for (const a of areas) for (const id of Object.keys(a.jobs ?? {})) runners.set(id, [...(runners.get(id) ?? []), a.id]);
  manifest.jobs.forEach((j, i) => {
    const owners = runners.get(j.id) ?? [];
    if (owners.length !== 1)
      problems.push({
        path: `manifest.jobs.${i}`,
        message: `${j.id} has ${owners.length ? 'several runners' : 'no runner'} among the areas`,
      });
  });
  for (const [id, owners] of runners)
    if (!manifest.jobs.some((j) => j.id === id)) problems.push({ path: `areas.${owners[0]}.jobs.${id}`, message: 'is not a manifest job' });
  manifest.events.forEach((e, i) => {
    const [areaId, name] = e.handler.split('#');
    const area = areas.find((a) => a.id === areaId);
    if (!area?.hostEvents?.[name])
      problems.push({ path: `manifest.events.${i}.handler`, message: `${e.handler} names no area's host-event handler` });
  });
  for (const area of areas)
    for (const name of Object.keys(area.hostEventBatches ?? {}))
      if (!area.hostEvents?.[name])
        problems.push({ path: `areas.${area.id}.hostEventBatches.${name}`, message: 'has no single-event handler of that name' });
}

function checkMenus(manifest: Manifest, areas: readonly Area[], problems: ErrorDetail[]): void {
  const pages = new Set(areas.flatMap((a) => a.endpoints.filter((e) => e.kind === 'page').map((p) => manifest.basePath + p.path)));
  const walk = (items: ManifestMenu[], at: string) =>
    items.forEach((m, i) => {
      if (!pages.has(m.path)) problems.push({ path: `${at}.${i}.path`, message: `${m.path} is no area's page` });
      if (m.children) walk(m.children, `${at}.${i}.children`);
    });
  walk(manifest.menus, 'manifest.menus');
}

/** Every literal i18n key a template uses exists in both languages, and every `can.<key>` is a permission constant. */
export function checkTemplates(capabilities: Map<string, string>, problems: ErrorDetail[], sources = templateSources()): void {
  for (const [name, source] of sources) {
    for (const [, key] of source.matchAll(T_CALL))
      for (const lang of LANGS)
        if (!hasKey(lang, key)) problems.push({ path: `views.${name}`, message: `uses ${key}, which is missing in ${lang}` });
    for (const [, key] of source.matchAll(CAN))
      if (!capabilities.has(key)) problems.push({ path: `views.${name}`, message: `uses can.${key}, which is no permission constant` });
  }
}

/**
 * What the manifest says and what the areas declare must agree, and so must the templates with the
 * strings and permissions: a mismatch stops the module from loading, naming the place.
 * Returns the capabilities templates see (`can.<key>` → permission id).
 */
export function checkAreas(manifest: Manifest, areas: readonly Area[]): Array<[string, string]> {
  const problems: ErrorDetail[] = [];
  const capabilities = checkPermissions(manifest, areas, problems);
  checkEndpoints(areas, problems);
  checkJobsAndEvents(manifest, areas, problems);
  checkMenus(manifest, areas, problems);
  checkTemplates(capabilities, problems);
  if (problems.length) throw new ConfigError('The areas and manifest.json disagree', problems);
  return [...capabilities];
}
