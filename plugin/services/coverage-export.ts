import type { Writable } from 'node:stream';
import type { Ctx } from '../context';
import { t, type Lang } from '../i18n';
import { writeCsv, writeXlsx, type SheetRows } from '../lib/sheets';
import { coverage } from './coverage';
import { coverageTrend } from './coverage-trend';
import type { Scope } from './scope';

const pct = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(1)}%`);

/**
 * The coverage page as a sheet, with the same figures the page and GET /api/stats/coverage show: the
 * total, each union org, each department (lowest first, with how many are not members yet) and the
 * last twelve months. One sheet with a 类别 column, so it sorts and filters in any spreadsheet program.
 */
async function* coverageRows(ctx: Ctx, scope: Scope, lang: Lang): SheetRows {
  const [c, trend] = await Promise.all([coverage(ctx, scope), coverageTrend(ctx, scope)]);
  const kind = (k: string) => t(lang, `members.coverageExport.kinds.${k}`);
  yield [
    kind('total'),
    t(lang, 'members.coverage.overall'),
    c.employed,
    c.members,
    Math.max(0, c.employed - c.members),
    pct(c.rate),
    c.asOf,
  ];
  for (const o of c.byOrg) yield [kind('org'), o.name, o.employed, o.members, Math.max(0, o.employed - o.members), pct(o.rate), c.asOf];
  for (const d of c.byDepartment)
    yield [kind('department'), d.name, d.employed, d.members, Math.max(0, d.employed - d.members), pct(d.rate), c.asOf];
  for (const p of trend) {
    const employed = p.employed ?? 0;
    yield [kind('month'), p.month, employed, p.members, Math.max(0, employed - p.members), pct(p.rate), ''];
  }
}

function header(lang: Lang): string[] {
  return ['kind', 'name', 'employed', 'members', 'nonMembers', 'rate', 'asOf'].map((k) => t(lang, `members.coverageExport.columns.${k}`));
}

export async function exportCoverage(ctx: Ctx, scope: Scope, lang: Lang, format: 'xlsx' | 'csv', out: Writable): Promise<void> {
  if (format === 'csv') await writeCsv(out, header(lang), coverageRows(ctx, scope, lang));
  else await writeXlsx(out, t(lang, 'members.titles.coverage'), header(lang), coverageRows(ctx, scope, lang), (i) => (i === 1 ? 24 : 12));
}
