/**
 * Who did something, in words: an employee by name (read from the host), a system actor by what it
 * is (人事事件, 每日同步, 台账导入 …). History and audit rows keep ids; only pages and exports say names.
 */
import type { Ctx } from '../context';
import { t, type Lang } from '../i18n';

/** 'event:evt_…', 'job:reconcile:3', 'import:3', 'system:install', 'webhook:…' → their kind; anything else is an employee id. */
export function systemActor(id: string): { kind: string; ref: string } | null {
  const m = /^(event|job|import|system|webhook|bench|test):(.*)$/.exec(id);
  if (!m) return null;
  const [, kind, rest] = m;
  if (kind === 'job') {
    const [job, run] = rest.split(':');
    return { kind: job === 'reconcile' ? 'reconcile' : job === 'apply-due' ? 'applyDue' : 'job', ref: run ?? '' };
  }
  if (kind === 'system') return { kind: rest === 'install' || rest === 'demo' ? rest : 'system', ref: '' };
  return { kind, ref: kind === 'import' ? rest : '' };
}

/** One function that names any actor id; employee names are read from the host once per page. */
export async function actorNamer(
  ctx: Ctx,
  lang: Lang,
  ids: Array<string | null | undefined>,
): Promise<(id: string | null | undefined) => string> {
  const people = [...new Set(ids.filter((x): x is string => !!x && !systemActor(x)))];
  const byId = new Map(people.length ? (await ctx.host.employees.getMany(people)).map((e) => [e.id, e.name]) : []);
  return (id) => {
    if (!id) return '';
    const sys = systemActor(id);
    if (!sys) return byId.get(id) ?? t(lang, 'members.actor.unknownPerson');
    return t(lang, `members.actor.${sys.kind}`, { ref: sys.ref });
  };
}
