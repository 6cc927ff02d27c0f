/**
 * Reads a union's hand-kept member ledger (会员台账), xlsx or CSV, as real ones look: a title above
 * the header, merged cells, filler and blank rows, a footer, dates in many spellings, full-width
 * characters and stray spaces. Pure: bytes in, normalised rows out; nothing here touches the database.
 */
import iconv from 'iconv-lite';
import {
  cellTooLong,
  LedgerFileError,
  MAX_CELL_CHARS,
  MAX_COLUMNS,
  MAX_HEADER_BYTES,
  MAX_ROW_BYTES,
  MAX_ROWS,
  tooManyRows,
  tooWide,
} from './ledger-limits';
import {
  headerKey,
  normaliseDepartment,
  normaliseEmployeeNo,
  normaliseMemberNo,
  normaliseName,
  parseLedgerDate,
  toHalfWidth,
  type Cell,
} from './ledger-values';
import { readXlsxSheets, type GridRow } from './ledger-xlsx';

export { LedgerFileError, MAX_ROWS, type FileProblem } from './ledger-limits';

export type LedgerField = 'seq' | 'name' | 'employeeNo' | 'department' | 'memberNo' | 'joinedAt';

/** A problem with one value, named by the column as the file calls it. */
export interface RowProblem {
  code: 'required' | 'bad_date' | 'too_long' | 'no_identity';
  column: string;
  value?: string;
}

export interface LedgerRow {
  /** Row number in the sheet (1-based), as a person sees it in the spreadsheet program. */
  line: number;
  /** 序号 as written, when the file has that column. */
  seq: string | null;
  name: string;
  employeeNo: string;
  department: string;
  memberNo: string;
  joinedAt: string | null;
  problems: RowProblem[];
  /** The row's cells as text, for the rejects file. */
  raw: string[];
}

export interface ParsedLedger {
  format: 'xlsx' | 'csv';
  encoding: string | null;
  sheet: string | null;
  headerLine: number;
  header: string[];
  /** Which header text each field was found under. */
  columns: Partial<Record<LedgerField, string>>;
  rows: LedgerRow[];
}

const HEADER_SCAN = 50;
/** Lines of a CSV: the ledger's rows plus titles, blank lines and footers. */
const MAX_GRID_LINES = MAX_ROWS + 10_000;

/** Header names per field, compared after headerKey(); common synonyms included. */
const SYNONYMS: Record<LedgerField, string[]> = {
  seq: ['序号', '序', '行号', 'no', 'no.', '#'],
  name: ['姓名', '名字', '会员姓名', '职工姓名', '员工姓名', '人员姓名', 'name'],
  employeeNo: [
    '工号',
    '员工编号',
    '员工号',
    '职工编号',
    '职工号',
    '人员编号',
    '员工工号',
    '职工工号',
    '工作证号',
    'employeeno',
    'employee_no',
    'staffno',
  ],
  department: ['部门', '所在部门', '部门名称', '所属部门', '工作部门', '单位', '所在单位', '科室', '部门/车间', 'department', 'dept'],
  memberNo: ['会员编号', '会员号', '会员证号', '会员证编号', '会员证号码', '会籍编号', '工会会员编号', 'memberno', 'member_no'],
  joinedAt: ['入会日期', '入会时间', '入会年月', '入会年月日', '加入工会时间', '加入工会日期', 'joinedat', 'joined_at', 'joindate'],
};
const FIELD_OF = new Map<string, LedgerField>(Object.entries(SYNONYMS).flatMap(([f, names]) => names.map((n) => [n, f as LedgerField])));
const FOOTER = /^(制表人|制表|审核人|审核|复核人|填表人|填报人|负责人|经办人|合计|总计|小计|说明|注[:：])/;

// ---- reading the grid --------------------------------------------------------------------------

export function cellText(c: Cell): string {
  if (c === null) return '';
  if (c instanceof Date) return parseLedgerDate(c) ?? '';
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : String(Number(c.toPrecision(15)));
  return c;
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (what Excel on Chinese Windows writes). */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gbk' };
  }
}

/**
 * RFC 4180 with the delimiter the file uses (comma, tab from "Unicode text", or semicolon). Columns and
 * cell lengths are capped as the text is read, before any row is built.
 */
export function parseDelimited(text: string): string[][] {
  const firstLines = text.slice(0, 4096);
  const delim = [',', '\t', ';'].map((d) => [d, firstLines.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    if (row.length >= MAX_COLUMNS) throw tooWide(`line ${rows.length + 1}`);
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delim) endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
      if (rows.length > MAX_GRID_LINES) throw tooManyRows();
    } else field += ch;
    if (field.length > MAX_CELL_CHARS) throw cellTooLong(`line ${rows.length + 1}, column ${row.length + 1}`);
  }
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

function csvSheet(bytes: Buffer): { rows: GridRow[]; encoding: string } {
  const probe = bytes.subarray(0, 8192);
  const utf16 = (probe[0] === 0xff && probe[1] === 0xfe) || (probe[0] === 0xfe && probe[1] === 0xff);
  if (!utf16 && probe.includes(0)) throw new LedgerFileError('not_ledger_file', 'is neither an xlsx workbook nor a CSV text file');
  const { text, encoding } = decodeText(bytes);
  // eslint-disable-next-line no-control-regex -- control characters are what tells a binary file from text
  if (/[\x00-\x08\x0E-\x1F]/.test(text.slice(0, 8192)))
    throw new LedgerFileError('not_ledger_file', 'is neither an xlsx workbook nor a CSV text file');
  return { rows: parseDelimited(text).map((cells, i) => ({ line: i + 1, cells })), encoding };
}

// ---- from grid to rows -------------------------------------------------------------------------

function headerColumns(cells: Cell[]): Map<LedgerField, number> {
  const found = new Map<LedgerField, number>();
  cells.forEach((c, i) => {
    const f = FIELD_OF.get(headerKey(cellText(c)));
    if (f && !found.has(f)) found.set(f, i);
  });
  return found;
}

const usable = (cols: Map<LedgerField, number>) =>
  cols.has('name') && cols.has('joinedAt') && (cols.has('employeeNo') || cols.has('department'));

function findHeader(rows: GridRow[]): { index: number; cols: Map<LedgerField, number> } | null {
  for (let i = 0; i < Math.min(rows.length, HEADER_SCAN); i++) {
    const cols = headerColumns(rows[i].cells);
    if (usable(cols)) return { index: i, cols };
  }
  return null;
}

function toRow(g: GridRow, cols: Map<LedgerField, number>, header: string[], texts: string[]): LedgerRow | null {
  const at = (f: LedgerField): Cell => (cols.has(f) ? (g.cells[cols.get(f)!] ?? null) : null);
  const text = (f: LedgerField) => (cols.has(f) ? (texts[cols.get(f)!] ?? '') : '');
  const name = normaliseName(text('name'));
  const employeeNo = normaliseEmployeeNo(text('employeeNo'));
  const memberNo = normaliseMemberNo(text('memberNo'));
  const joinedRaw = text('joinedAt');
  // Filler (a 序号 alone, a remark alone) is not a ledger entry.
  if (!name && !employeeNo && !memberNo && !joinedRaw) return null;
  const col = (f: LedgerField) => header[cols.get(f)!] || f;
  const problems: RowProblem[] = [];
  if (!name && !employeeNo) problems.push({ code: 'no_identity', column: col('name') });
  if (name.length > 64) problems.push({ code: 'too_long', column: col('name') });
  if (employeeNo.length > 64) problems.push({ code: 'too_long', column: col('employeeNo') });
  if (memberNo.length > 32) problems.push({ code: 'too_long', column: col('memberNo'), value: memberNo.slice(0, 40) });
  let joinedAt: string | null = null;
  if (!joinedRaw) problems.push({ code: 'required', column: col('joinedAt') });
  else {
    joinedAt = parseLedgerDate(at('joinedAt'));
    if (!joinedAt) problems.push({ code: 'bad_date', column: col('joinedAt'), value: joinedRaw.slice(0, 40) });
  }
  const width = Math.max(header.length, g.cells.length);
  const raw = Array.from({ length: width }, (_, i) => texts[i] ?? '');
  // The row's cells are kept for the rejects file; a row too long to keep is not a ledger row.
  if (raw.reduce((n, x) => n + x.length, 0) * 3 > MAX_ROW_BYTES && Buffer.byteLength(JSON.stringify(raw)) > MAX_ROW_BYTES)
    throw new LedgerFileError('cell_too_long', `row ${g.line} holds more than ${MAX_ROW_BYTES} bytes`);
  return {
    line: g.line,
    seq: text('seq') || null,
    name,
    employeeNo,
    department: normaliseDepartment(text('department')).slice(0, 100),
    memberNo,
    joinedAt,
    problems,
    raw,
  };
}

/** Hands each ledger row under the header to `add`, in file order; returns the header's cells and the row count. */
function rowsAfterHeader(
  grid: GridRow[],
  header: { index: number; cols: Map<LedgerField, number> },
  add: (row: LedgerRow) => void,
): { header: string[]; count: number } {
  const headerCells = grid[header.index].cells.map((c) => cellText(c).trim());
  if (Buffer.byteLength(JSON.stringify(headerCells)) > MAX_HEADER_BYTES)
    throw new LedgerFileError('too_wide', `has a header row (line ${grid[header.index].line}) longer than ${MAX_HEADER_BYTES} bytes`);
  const headerSig = headerCells.map(headerKey).join('|');
  let count = 0;
  for (let i = header.index + 1; i < grid.length; i++) {
    const g = grid[i];
    const texts = g.cells.map((c) => cellText(c).trim());
    if (texts.every((x) => x === '')) continue;
    if (texts.some((x) => x !== '' && FOOTER.test(toHalfWidth(x)))) continue;
    // The header repeated on a printed page.
    if (texts[0] === headerCells[0] && texts.map(headerKey).join('|') === headerSig) continue;
    const row = toRow(g, header.cols, headerCells, texts);
    if (!row) continue;
    if (++count > MAX_ROWS) throw tooManyRows();
    add(row);
  }
  return { header: headerCells, count };
}

function fieldNames(cols: Map<LedgerField, number>, header: string[]): Partial<Record<LedgerField, string>> {
  return Object.fromEntries([...cols].map(([f, i]) => [f, header[i]]));
}

export const isEmpty = (b: Buffer) =>
  b.length < 4096 &&
  b
    .toString('latin1')
    .replace(/^\xef\xbb\xbf|^\xff\xfe|^\xfe\xff/, '')
    // eslint-disable-next-line no-control-regex -- NUL bytes of UTF-16 padding
    .replace(/\x00/g, '')
    .trim() === '';
export const isZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
export const isOle = (b: Buffer) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));

/** What reading a ledger says about the file, its rows aside. */
export type LedgerFileInfo = Omit<ParsedLedger, 'rows'>;

/**
 * Reads the bytes of an uploaded ledger. The bytes decide the format, not the name: an xlsx is a zip
 * (PK\x03\x04); anything else must be text. Problems with the file as a whole throw LedgerFileError.
 */
export async function parseLedger(bytes: Buffer, filename = ''): Promise<ParsedLedger> {
  const rows: LedgerRow[] = [];
  const info = await readLedger(bytes, filename, (row) => void rows.push(row));
  return Object.assign(info, { rows });
}

/**
 * parseLedger for a caller that keeps the rows its own way: each row goes to `add` as soon as it is
 * read, so a big ledger's rows need not all be held as objects at once (see PackedRows).
 */
export async function readLedger(bytes: Buffer, filename: string, add: (row: LedgerRow) => void): Promise<LedgerFileInfo> {
  if (isEmpty(bytes)) throw new LedgerFileError('empty', 'is empty');
  if (isOle(bytes)) throw new LedgerFileError('old_xls', 'is an old .xls workbook; save it as .xlsx or CSV');
  if (isZip(bytes)) {
    // The sheets are read one at a time; the first with a ledger header is the ledger.
    const found = await readXlsxSheets(bytes, (s) => {
      const header = findHeader(s.rows);
      if (!header) return null;
      const { header: cells, count } = rowsAfterHeader(s.rows, header, add);
      if (!count) throw new LedgerFileError('no_rows', 'has a header row but no ledger rows under it');
      return {
        format: 'xlsx' as const,
        encoding: null,
        sheet: s.name,
        headerLine: s.rows[header.index].line,
        header: cells,
        columns: fieldNames(header.cols, cells),
      };
    });
    if (!found) throw noHeader();
    return found;
  }
  if (/\.xlsx$/i.test(filename)) throw new LedgerFileError('not_ledger_file', 'is named .xlsx but is not an xlsx workbook');
  const { rows: grid, encoding } = csvSheet(bytes);
  const header = findHeader(grid);
  if (!header) throw noHeader();
  const { header: cells, count } = rowsAfterHeader(grid, header, add);
  if (!count) throw new LedgerFileError('no_rows', 'has a header row but no ledger rows under it');
  return {
    format: 'csv',
    encoding,
    sheet: null,
    headerLine: grid[header.index].line,
    header: cells,
    columns: fieldNames(header.cols, cells),
  };
}

function noHeader(): LedgerFileError {
  return new LedgerFileError('no_header', 'has no header row: expected the columns 姓名, 入会日期 and 工号 or 部门');
}
