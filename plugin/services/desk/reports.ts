/**
 * Generated management reports (union_desk_reports): a run gathers the figures, draws the PDF and the
 * xlsx and keeps both for download, writing its progress as it goes so any instance can show it. A
 * report is the requester's view: the same period asked by someone with another scope is another report.
 */
import type { Ctx } from '../../context';
import { Conflict, NotFound } from '../../errors';
import { writeAudit } from '../audit';
import { inTransaction } from '../../lib/db';
import { sqlDateTime } from '../../lib/time';
import { gatherReport } from './report-data';
import { renderPdf } from './report-pdf';
import { renderXlsx } from './report-xlsx';
import type { Period } from './period';
import type { Viewer } from './types';
import { scopeKeyOf } from './kept';

/** A run still 'running' after this long was abandoned (its process stopped). */
const ABANDONED_AFTER_MS = 15 * 60_000;

export interface ReportRow {
  id: number;
  period: string;
  status: 'running' | 'done' | 'failed';
  progress: number;
  step: string | null;
  requestedBy: string;
  requestedAt: string;
  finishedAt: string | null;
  asOf: string | null;
}

const present = (r: Record<string, unknown>): ReportRow => ({
  id: Number(r.id),
  period: String(r.period),
  status: r.status as ReportRow['status'],
  progress: Number(r.progress),
  step: (r.step as string | null) ?? null,
  requestedBy: String(r.requested_by),
  requestedAt: String(r.requested_at),
  finishedAt: (r.finished_at as string | null) ?? null,
  asOf: r.as_of ? String(r.as_of).slice(0, 10) : null,
});

const COLUMNS = ['id', 'period', 'status', 'progress', 'step', 'requested_by', 'requested_at', 'finished_at', 'as_of'];

/** Runs one report to the end (the row must exist), recording progress; failures are kept on the row. */
async function run(ctx: Ctx, viewer: Viewer, id: number, period: Period): Promise<void> {
  const progress = async (percent: number, step: string) => {
    await ctx
      .db('union_desk_reports')
      .where({ id })
      .update({ progress: percent, step: step.slice(0, 32) });
  };
  try {
    const data = await gatherReport(ctx, viewer, period, progress);
    await progress(80, 'pdf');
    const pdf = await renderPdf(data);
    await progress(95, 'xlsx');
    const xlsx = await renderXlsx(data);
    await ctx
      .db('union_desk_reports')
      .where({ id })
      .update({ status: 'done', progress: 100, step: null, pdf, xlsx, as_of: data.asOf, finished_at: ctx.nowSql() });
  } catch (err) {
    ctx.host.logger.error({ err: (err as Error).name, report: id }, 'desk report failed');
    await ctx
      .db('union_desk_reports')
      .where({ id })
      .update({ status: 'failed', error: String((err as Error).message).slice(0, 200), finished_at: ctx.nowSql() });
    throw err;
  }
}

/** Starts a report; `wait` false returns at once with the running row (the run goes on in the background). */
export async function startReport(ctx: Ctx, viewer: Viewer, period: Period, opts: { wait: boolean }): Promise<ReportRow> {
  const running = await ctx
    .db('union_desk_reports')
    .where({ period: period.key, scope_key: scopeKeyOf(viewer), status: 'running' })
    // A run whose instance went away never finishes: after this long it no longer blocks a new one.
    .where('requested_at', '>', sqlDateTime(new Date(ctx.now().getTime() - ABANDONED_AFTER_MS)))
    .first('id', 'requested_by');
  if (running) throw new Conflict(`A report for ${period.key} is being generated (#${running.id})`).because('report_running');
  const id = await inTransaction(ctx.db, async (trx) => {
    const [newId] = await trx('union_desk_reports').insert({
      period: period.key,
      scope_key: scopeKeyOf(viewer),
      status: 'running',
      progress: 0,
      requested_by: viewer.id,
      requested_at: ctx.nowSql(),
    });
    await writeAudit(
      ctx,
      trx,
      { id: viewer.id, kind: 'user' },
      { action: 'desk.report', entity: 'report', entityId: String(newId), after: { period: period.key } },
    );
    return Number(newId);
  });
  const job = run(ctx, viewer, id, period);
  if (opts.wait) await job;
  else job.catch(() => undefined); // kept on the row as failed
  return getReport(ctx, viewer, id);
}

export async function getReport(ctx: Ctx, viewer: Viewer, id: number): Promise<ReportRow> {
  const row = await ctx
    .db('union_desk_reports')
    .where({ id, scope_key: scopeKeyOf(viewer) })
    .first(COLUMNS);
  if (!row) throw new NotFound(`No report ${id}`);
  return present(row);
}

export async function listReports(ctx: Ctx, viewer: Viewer): Promise<ReportRow[]> {
  const rows = await ctx
    .db('union_desk_reports')
    .where({ scope_key: scopeKeyOf(viewer) })
    .orderBy('id', 'desc')
    .limit(50)
    .select(COLUMNS);
  return rows.map(present);
}

/** A kept report's file by id. */
export async function reportFile(ctx: Ctx, viewer: Viewer, id: number, format: 'pdf' | 'xlsx'): Promise<{ period: string; bytes: Buffer }> {
  const row = await ctx
    .db('union_desk_reports')
    .where({ id, scope_key: scopeKeyOf(viewer), status: 'done' })
    .first('period', format);
  if (!row) throw new NotFound(`No report ${id}`);
  return { period: row.period, bytes: row[format] as Buffer };
}

/**
 * The period's report as a file: the newest kept one when it is still current (made today, or after the
 * period ended), otherwise a new one generated now.
 */
export async function periodFile(ctx: Ctx, viewer: Viewer, period: Period, format: 'pdf' | 'xlsx'): Promise<Buffer> {
  const kept = await ctx
    .db('union_desk_reports')
    .where({ period: period.key, scope_key: scopeKeyOf(viewer), status: 'done' })
    .orderBy('id', 'desc')
    .first('id', 'as_of');
  const current = kept && (String(kept.as_of).slice(0, 10) === ctx.today() || String(kept.as_of).slice(0, 10) >= period.to);
  const id = current ? Number(kept.id) : (await startReport(ctx, viewer, period, { wait: true })).id;
  return (await reportFile(ctx, viewer, id, format)).bytes;
}
