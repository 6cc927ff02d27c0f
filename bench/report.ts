/** The results table: printed, written to bench/results.json, and placed in README.md between markers. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Row } from './scenarios/types';

const ROOT = path.join(__dirname, '..');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'plugin', 'migrations'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (+ uncommitted changes in plugin/ or migrations/)` : sha;
  } catch {
    return 'unknown';
  }
}

const fmtValue = (r: Row) => (typeof r.value === 'number' ? `${r.value.toLocaleString('en')}${r.unit ? ` ${r.unit}` : ''}` : r.value);
const fmtMet = (r: Row) => (r.met === undefined ? '' : r.met ? 'yes' : 'NO');

export function markdownTable(rows: Row[]): string {
  const lines = ['| scenario | measure | value | target | met? |', '|---|---|---:|---|---|'];
  for (const r of rows) lines.push(`| ${r.scenario} | ${r.measure} | ${fmtValue(r)} | ${r.target ?? ''} | ${fmtMet(r)} |`);
  return lines.join('\n');
}

export function consoleTable(rows: Row[]): string {
  const cells = [
    ['scenario', 'measure', 'value', 'target', 'met?'],
    ...rows.map((r) => [r.scenario, r.measure, fmtValue(r), r.target ?? '', fmtMet(r)]),
  ];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 2 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join(' | ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.slice(1).map(line)].join('\n');
}

export function writeResults(results: unknown): string {
  const file = path.join(__dirname, 'results.json');
  // Written whole or not at all: a run stopped halfway leaves the previous results in place.
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Replaces what is between the markers; the first time, adds a "## Benchmarks" section at the end. */
export function updateReadme(body: string): void {
  const file = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const block = `${START}\n${body.trim()}\n${END}`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  const next =
    a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + END.length) : `${text.replace(/\n*$/, '\n')}\n## Benchmarks\n\n${block}\n`;
  if (next !== text) fs.writeFileSync(file, next);
}
