/** Keys of what the desk keeps (per scope and permission set), and counts kept while their inputs stand. */
import crypto from 'node:crypto';
import type { Ctx } from '../../context';
import type { Viewer } from './types';

export const scopeKeyOf = (v: Viewer) => (v.scope.all ? 'all' : `orgs:${v.scope.orgIds.join(',')}`.slice(0, 255));
/** Which figures a source shows depends on the viewer's permissions: the same set shares stored figures. */
export const permKeyOf = (v: Viewer) =>
  crypto
    .createHash('sha1')
    .update([...v.permissions].sort().join(','))
    .digest('hex')
    .slice(0, 16);

/**
 * A count kept while what it depends on is unchanged: `version` is a cheap string that changes whenever
 * the inputs do (the newest ledger row, say), so the count is always current and usually not recounted.
 */
export async function keptWhileUnchanged(
  ctx: Ctx,
  key: { viewer: Viewer; period: string; area: string },
  version: string,
  count: () => Promise<number>,
): Promise<number> {
  const where = { scope_key: scopeKeyOf(key.viewer), perm_key: permKeyOf(key.viewer), period: key.period, area: key.area };
  const row = await ctx.db('union_desk_figures').where(where).first('kpis');
  const kept = row ? (JSON.parse(row.kpis) as { version?: string; value?: number }) : null;
  if (kept?.version === version && typeof kept.value === 'number') return kept.value;
  const value = await count();
  await ctx
    .db('union_desk_figures')
    .insert({ ...where, kpis: JSON.stringify({ version, value }), computed_at: ctx.nowSql() })
    .onConflict(['scope_key', 'perm_key', 'period', 'area'])
    .merge(['kpis', 'computed_at']);
  return value;
}
