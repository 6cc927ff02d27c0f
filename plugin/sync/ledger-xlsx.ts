/**
 * Reads an xlsx workbook as a stream: the zip's parts are inflated with a byte counter (lib/zip), their
 * XML scanned as it arrives (ledger-xml), and each sheet kept only as a compact grid of cell values,
 * a sheet at a time. Columns, cells per row, cell lengths and rows are capped while reading, so a
 * hostile file is refused before it can build anything large. What a reader sees is what comes out:
 * shared and inline strings (rich text joined, phonetic guides left out), numbers, date cells by their
 * number format, formula results, and merged cells carrying their first cell's value.
 */
import { posix } from 'node:path';
import { readEntry, zipEntries, ZipError, type InflateBudget, type ZipEntry } from '../lib/zip';
import {
  cellTooLong,
  columnName,
  LedgerFileError,
  MAX_CELL_CHARS,
  MAX_CELLS,
  MAX_COLUMNS,
  MAX_RATIO,
  MAX_ROWS,
  MAX_UNPACKED,
  RATIO_FLOOR,
  tooManyRows,
  tooWide,
  unpacksTooLarge,
  unreadableXlsx,
} from './ledger-limits';
import type { Cell } from './ledger-values';
import { attr, cellAttrs, decodeXml, XmlError, XmlScanner, type XmlHandler } from './ledger-xml';

export interface GridRow {
  /** Row number in the sheet (1-based). */
  line: number;
  cells: Cell[];
}

export interface XlsxSheet {
  name: string;
  rows: GridRow[];
}

const MAX_SHEET_ROWS = 1_048_576;
const MAX_MERGES = 100_000;
/** Rows kept per sheet: the ledger's rows plus titles, filler and footers. */
const MAX_GRID_ROWS = MAX_ROWS + 10_000;

/** 'B12' -> { col: 2, row: 12 }; the column alone ('B') gives row 0. */
function cellRef(ref: string): { col: number; row: number } {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
    if (col > 1_000_000) break;
  }
  return { col, row: Number(ref.slice(i)) || 0 };
}

/** Built-in number formats that show a date or a time (ECMA-376 18.8.30 and the CJK ones). */
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** A custom format shows a date when it has date letters outside quotes and brackets (as Excel reads it). */
function isDateFormat(code: string): boolean {
  return /[ymdhsb]/i.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

const excelDate = (serial: number, date1904: boolean) => new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));

/** Tags of a part, open tags only with their attributes: enough for workbook, relationships and styles. */
class OpenTags implements XmlHandler {
  constructor(
    private readonly onOpen: (name: string, attrs: string) => void,
    private readonly onClose = (_name: string) => {},
  ) {}
  open(name: string, attrs: string) {
    this.onOpen(name, attrs);
  }
  close(name: string) {
    this.onClose(name);
  }
  text() {}
}

class SharedStrings implements XmlHandler {
  readonly strings: string[] = [];
  private current: string | null = null;
  private buf: string | null = null;
  private phonetic = false;
  open(name: string) {
    if (name === 'si') this.current = '';
    else if (name === 'rPh') this.phonetic = true;
    else if (name === 't' && this.current !== null && !this.phonetic) this.buf = '';
  }
  text(raw: string) {
    if (this.buf === null) return;
    this.buf += raw;
    if (this.buf.length > MAX_CELL_CHARS * 10) throw cellTooLong(`shared string ${this.strings.length + 1}`);
  }
  close(name: string) {
    if (name === 't' && this.buf !== null) {
      this.current += decodeXml(this.buf);
      this.buf = null;
    } else if (name === 'rPh') this.phonetic = false;
    else if (name === 'si' && this.current !== null) {
      if (this.current.length > MAX_CELL_CHARS) throw cellTooLong(`shared string ${this.strings.length + 1}`);
      if (this.strings.length >= MAX_CELLS) throw unpacksTooLarge();
      this.strings.push(this.current);
      this.current = null;
    }
  }
}

/** One sheet's cells, row by row, as compact arrays of values. */
class SheetGrid implements XmlHandler {
  readonly rows: GridRow[] = [];
  readonly merges: Array<[top: number, left: number, bottom: number, right: number]> = [];
  private cells: Cell[] | null = null;
  private line = 0;
  private cellsInRow = 0;
  private col = 0;
  private type: string | null = null;
  private style = 0;
  private v: string | null = null;
  private inline: string | null = null;
  private buf: string | null = null;
  private capture: 'v' | 't' | null = null;
  private inInline = false;
  private phonetic = false;
  private total = 0;

  constructor(
    private readonly shared: string[],
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
  ) {}

  private where() {
    return `cell ${cellName(this.col, this.line)}`;
  }

  open(name: string, attrs: string) {
    switch (name) {
      case 'row': {
        const r = cellAttrs(attrs).r;
        const line = r ? Number(r) : this.line + 1;
        if (!Number.isInteger(line) || line <= this.line || line > MAX_SHEET_ROWS) throw new XmlError('rows out of order');
        this.line = line;
        this.cells = [];
        this.cellsInRow = 0;
        this.col = 0;
        break;
      }
      case 'c': {
        if (++this.cellsInRow > MAX_COLUMNS) throw tooWide(`row ${this.line}`);
        const a = cellAttrs(attrs);
        const col = a.r ? cellRef(a.r).col : this.col + 1;
        if (col > MAX_COLUMNS) throw tooWide(`cell ${a.r ?? cellName(col, this.line)}`);
        if (col < 1) throw new XmlError('bad cell reference');
        this.col = col;
        this.type = a.t;
        this.style = a.s ? Number(a.s) : 0;
        this.v = null;
        this.inline = null;
        break;
      }
      case 'v':
        this.capture = 'v';
        this.buf = '';
        break;
      case 'is':
        this.inInline = true;
        this.inline = '';
        break;
      case 'rPh':
        this.phonetic = true;
        break;
      case 't':
        if (this.inInline && !this.phonetic) {
          this.capture = 't';
          this.buf = '';
        }
        break;
      case 'dimension': {
        const ref = attr(attrs, 'ref') ?? '';
        if (ref.split(':').some((p) => cellRef(p).col > MAX_COLUMNS)) throw tooWide(`the sheet's used range ${ref.slice(0, 40)}`);
        break;
      }
      case 'mergeCell':
        this.addMerge(attr(attrs, 'ref') ?? '');
        break;
    }
  }

  text(raw: string) {
    if (!this.capture) return;
    this.buf += raw;
    // Entities make the raw text longer than what it says; ten times the limit is certainly too long.
    if (this.buf!.length > MAX_CELL_CHARS * 10) throw cellTooLong(this.where());
  }

  close(name: string) {
    switch (name) {
      case 'v':
        if (this.capture === 'v') this.v = this.buf;
        this.capture = null;
        break;
      case 't':
        if (this.capture === 't') this.inline += decodeXml(this.buf!);
        this.capture = null;
        break;
      case 'rPh':
        this.phonetic = false;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'c':
        this.endCell();
        break;
      case 'row':
        this.endRow();
        break;
    }
  }

  private value(): Cell {
    const v = this.v;
    switch (this.type) {
      case 's':
        return v === null ? null : (this.shared[Number(v)] ?? null);
      case 'inlineStr':
        return this.inline;
      case 'str':
        return v === null ? null : decodeXml(v);
      case 'b':
        return v === null ? null : String(v.trim() === '1');
      case 'e':
        return null;
      case 'd': {
        const d = v === null ? null : new Date(decodeXml(v).trim());
        return d && !Number.isNaN(d.getTime()) ? d : null;
      }
      default: {
        if (v === null || v.trim() === '') return null;
        const n = parseFloat(v);
        if (Number.isNaN(n)) return null;
        return this.dateStyles[this.style] ? excelDate(n, this.date1904) : n;
      }
    }
  }

  private endCell() {
    if (!this.cells) return;
    const value = this.value();
    if (value === null) {
      // An empty but formatted cell still widens its row, as it does in a spreadsheet program.
      while (this.cells.length < this.col) this.cells.push(null);
      return;
    }
    if (typeof value === 'string' && value.length > MAX_CELL_CHARS) throw cellTooLong(this.where());
    if (++this.total > MAX_CELLS) throw unpacksTooLarge();
    while (this.cells.length < this.col - 1) this.cells.push(null);
    this.cells[this.col - 1] = value;
  }

  private endRow() {
    if (!this.cells) return;
    if (this.cells.some((c) => c !== null)) {
      this.rows.push({ line: this.line, cells: this.cells });
      if (this.rows.length > MAX_GRID_ROWS) throw tooManyRows();
    }
    this.cells = null;
  }

  private addMerge(ref: string) {
    const [a, b = a] = ref.split(':').map(cellRef);
    if (!a.col || !a.row || !b.col || !b.row) return;
    if (Math.max(a.col, b.col) > MAX_COLUMNS) throw tooWide(`the merged cells ${ref.slice(0, 40)}`);
    if (this.merges.length >= MAX_MERGES || Math.max(a.row, b.row) > MAX_SHEET_ROWS) throw unpacksTooLarge();
    this.merges.push([Math.min(a.row, b.row), Math.min(a.col, b.col), Math.max(a.row, b.row), Math.max(a.col, b.col)]);
  }

  /** Every cell of a merge shows the first cell's value, as a spreadsheet program shows it. */
  applyMerges(): void {
    if (!this.merges.length) return;
    const area = this.merges.reduce((n, [t, l, b, r]) => n + (b - t + 1) * (r - l + 1), 0);
    if (area + this.total > MAX_CELLS) throw unpacksTooLarge();
    const byLine = new Map(this.rows.map((r) => [r.line, r]));
    let added = false;
    for (const [top, left, bottom, right] of this.merges) {
      const master = byLine.get(top)?.cells[left - 1] ?? null;
      for (let line = top; line <= bottom; line++) {
        let row = byLine.get(line);
        if (!row) {
          row = { line, cells: [] };
          byLine.set(line, row);
          this.rows.push(row);
          added = true;
        }
        while (row.cells.length < right) row.cells.push(null);
        for (let c = left; c <= right; c++) if (line !== top || c !== left) row.cells[c - 1] = master;
      }
    }
    if (added) this.rows.sort((x, y) => x.line - y.line);
    if (this.rows.length > MAX_GRID_ROWS) throw tooManyRows();
  }
}

const cellName = (col: number, row: number) => `${columnName(col)}${row}`;

/** The parts of one workbook, each read through the shared byte budget. */
class Parts {
  private readonly byLowerName: Map<string, ZipEntry>;
  private readonly budget: InflateBudget = { used: 0, limit: MAX_UNPACKED };

  constructor(
    private readonly bytes: Buffer,
    entries: Map<string, ZipEntry>,
  ) {
    this.byLowerName = new Map([...entries].map(([name, e]) => [name.replace(/^\//, '').toLowerCase(), e]));
  }

  has(path: string): boolean {
    return this.byLowerName.has(path.toLowerCase());
  }

  /** Scans a part's XML with the handler; false when the part is not in the file. */
  async scan(path: string, handler: XmlHandler): Promise<boolean> {
    const entry = this.byLowerName.get(path.toLowerCase());
    if (!entry) return false;
    const scanner = new XmlScanner(handler);
    await readEntry(this.bytes, entry, this.budget, (chunk) => scanner.write(chunk), { ratio: MAX_RATIO, floor: RATIO_FLOOR });
    scanner.end();
    return true;
  }

  /** A part's relationships: id -> { type, target as a path in the zip }. */
  async rels(path: string): Promise<Map<string, { type: string; target: string }>> {
    const dir = posix.dirname(path);
    const out = new Map<string, { type: string; target: string }>();
    await this.scan(
      posix.join(dir, '_rels', `${posix.basename(path)}.rels`),
      new OpenTags((name, attrs) => {
        if (name !== 'Relationship' || attr(attrs, 'TargetMode') === 'External') return;
        const target = attr(attrs, 'Target') ?? '';
        const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(dir, target));
        out.set(attr(attrs, 'Id') ?? '', { type: attr(attrs, 'Type') ?? '', target: resolved });
      }),
    );
    return out;
  }
}

async function workbookPath(parts: Parts): Promise<string> {
  const root = await parts.rels('');
  const doc = [...root.values()].find((r) => r.type.endsWith('/officeDocument'));
  return doc?.target ?? 'xl/workbook.xml';
}

async function dateStyles(parts: Parts, path: string | undefined): Promise<boolean[]> {
  const formats = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  if (path) {
    await parts.scan(
      path,
      new OpenTags(
        (name, attrs) => {
          if (name === 'numFmt') formats.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '');
          else if (name === 'cellXfs') inCellXfs = true;
          else if (name === 'xf' && inCellXfs) {
            const id = Number(attr(attrs, 'numFmtId') ?? 0);
            styles.push(formats.has(id) ? isDateFormat(formats.get(id)!) : DATE_FORMAT_IDS.has(id));
          }
        },
        (name) => {
          if (name === 'cellXfs') inCellXfs = false;
        },
      ),
    );
  }
  return styles;
}

/**
 * Reads the workbook's sheets in order, one at a time, and hands each to `visit` until it returns
 * something. Whatever is wrong with the file comes out as a LedgerFileError naming `file`.
 */
export async function readXlsxSheets<T>(bytes: Buffer, visit: (sheet: XlsxSheet) => T | null): Promise<T | null> {
  try {
    const parts = new Parts(bytes, zipEntries(bytes));
    const book = await workbookPath(parts);
    if (!parts.has(book)) throw unreadableXlsx();
    const sheets: Array<{ name: string; rid: string }> = [];
    let date1904 = false;
    await parts.scan(
      book,
      new OpenTags((name, attrs) => {
        if (name === 'workbookPr') date1904 = ['1', 'true'].includes(attr(attrs, 'date1904') ?? '');
        if (name === 'sheet') {
          const rid = /\s[\w.-]+:id\s*=\s*"([^"]*)"/.exec(attrs)?.[1] ?? '';
          sheets.push({ name: attr(attrs, 'name') ?? '', rid });
        }
      }),
    );
    const rels = await parts.rels(book);
    const ofType = (t: string) => [...rels.values()].find((r) => r.type.endsWith(t))?.target;
    const shared = new SharedStrings();
    await parts.scan(ofType('/sharedStrings') ?? 'xl/sharedStrings.xml', shared);
    const styles = await dateStyles(parts, ofType('/styles') ?? 'xl/styles.xml');
    for (const s of sheets) {
      const path = rels.get(s.rid)?.target;
      if (!path) continue;
      const grid = new SheetGrid(shared.strings, styles, date1904);
      if (!(await parts.scan(path, grid))) continue;
      grid.applyMerges();
      const found = visit({ name: s.name, rows: grid.rows });
      if (found !== null) return found;
    }
    return null;
  } catch (err) {
    if (err instanceof LedgerFileError) throw err;
    if (err instanceof ZipError && err.reason === 'too_big') throw unpacksTooLarge();
    if (err instanceof ZipError || err instanceof XmlError) throw unreadableXlsx();
    throw err;
  }
}
