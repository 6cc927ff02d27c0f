/**
 * Reads finance's payment list (xlsx) for the welfare ledger: who was paid, named by 工号 and/or 姓名 with
 * 部门, and optionally the amount. The workbook is read by the legacy-ledger import's reader (ledger-xlsx.ts:
 * streamed, inflate limits, column, cell and row caps), so a hostile file is refused the same way. Pure:
 * bytes in, normalised rows out.
 */
import { cellText, isEmpty, isOle, isZip } from './ledger-parse';
import { LedgerFileError, MAX_ROWS, tooManyRows } from './ledger-limits';
import { headerKey, normaliseDepartment, normaliseEmployeeNo, normaliseName, toHalfWidth } from './ledger-values';
import { readXlsxSheets, type GridRow } from './ledger-xlsx';

export type PaymentField = 'name' | 'employeeNo' | 'department' | 'amount';

export interface PaymentProblem {
  code: 'no_identity' | 'bad_amount' | 'too_long';
  /** The column as the file calls it. */
  column: string;
  value?: string;
}

export interface PaymentRow {
  /** The row number a person sees in the spreadsheet program. */
  line: number;
  name: string;
  employeeNo: string;
  department: string;
  /** The amount as written, in cents; null when the file has no amount column or the cell is empty. */
  amountCents: number | null;
  problems: PaymentProblem[];
}

export interface ParsedPayments {
  sheet: string;
  header: string[];
  columns: Partial<Record<PaymentField, string>>;
  rows: PaymentRow[];
}

const SYNONYMS: Record<PaymentField, string[]> = {
  name: ['姓名', '职工姓名', '员工姓名', '收款人', '领取人', 'name'],
  employeeNo: ['工号', '员工编号', '职工编号', '人员编号', '员工工号', '职工工号', 'employeeno', 'employee_no'],
  department: ['部门', '所在部门', '部门名称', '所属部门', '单位', 'department', 'dept'],
  amount: ['金额', '发放金额', '实发金额', '金额(元)', '金额元', '慰问金额', 'amount'],
};
const FIELD_OF = new Map<string, PaymentField>(
  Object.entries(SYNONYMS).flatMap(([f, names]) => names.map((n) => [headerKey(n), f as PaymentField])),
);
const FOOTER = /^(合计|总计|小计|制表|审核|复核|经办|说明|注[:：])/;
const HEADER_SCAN = 50;
const AMOUNT = /^[¥￥]?\s*(\d{1,7})(\.\d{1,2})?\s*(元)?$/;

function headerOf(rows: GridRow[]): { index: number; cols: Map<PaymentField, number> } | null {
  for (let i = 0; i < Math.min(rows.length, HEADER_SCAN); i++) {
    const cols = new Map<PaymentField, number>();
    rows[i].cells.forEach((c, j) => {
      const f = FIELD_OF.get(headerKey(cellText(c)));
      if (f && !cols.has(f)) cols.set(f, j);
    });
    if (cols.has('name') || cols.has('employeeNo')) if (cols.has('employeeNo') || cols.has('department')) return { index: i, cols };
  }
  return null;
}

function amountOf(raw: string): number | null | undefined {
  if (!raw) return null;
  const m = AMOUNT.exec(toHalfWidth(raw).replace(/,/g, '').trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Math.round(Number(m[2] ?? 0) * 100);
}

function toRow(g: GridRow, cols: Map<PaymentField, number>, header: string[]): PaymentRow | null {
  const text = (f: PaymentField) => (cols.has(f) ? cellText(g.cells[cols.get(f)!] ?? null).trim() : '');
  const col = (f: PaymentField) => (cols.has(f) ? header[cols.get(f)!] || f : f);
  const name = normaliseName(text('name'));
  const employeeNo = normaliseEmployeeNo(text('employeeNo'));
  const amountRaw = text('amount');
  if (!name && !employeeNo && !amountRaw) return null;
  const problems: PaymentProblem[] = [];
  if (!name && !employeeNo) problems.push({ code: 'no_identity', column: col(cols.has('employeeNo') ? 'employeeNo' : 'name') });
  if (name.length > 64) problems.push({ code: 'too_long', column: col('name') });
  if (employeeNo.length > 64) problems.push({ code: 'too_long', column: col('employeeNo') });
  const amountCents = amountOf(amountRaw);
  if (amountCents === undefined || amountCents === 0)
    problems.push({ code: 'bad_amount', column: col('amount'), value: amountRaw.slice(0, 40) });
  return {
    line: g.line,
    name,
    employeeNo,
    department: normaliseDepartment(text('department')).slice(0, 100),
    amountCents: amountCents ?? null,
    problems,
  };
}

export async function parsePayments(bytes: Buffer): Promise<ParsedPayments> {
  if (isEmpty(bytes)) throw new LedgerFileError('empty', 'is empty');
  if (isOle(bytes)) throw new LedgerFileError('old_xls', 'is an old .xls workbook; save it as .xlsx');
  if (!isZip(bytes)) throw new LedgerFileError('not_ledger_file', 'is not an xlsx workbook');
  const found = await readXlsxSheets(bytes, (s) => {
    const h = headerOf(s.rows);
    if (!h) return null;
    const header = s.rows[h.index].cells.map((c) => cellText(c).trim());
    const rows: PaymentRow[] = [];
    for (const g of s.rows.slice(h.index + 1)) {
      const texts = g.cells.map((c) => cellText(c).trim());
      if (texts.every((x) => x === '') || texts.some((x) => x !== '' && FOOTER.test(toHalfWidth(x)))) continue;
      const row = toRow(g, h.cols, header);
      if (row) rows.push(row);
      if (rows.length > MAX_ROWS) throw tooManyRows();
    }
    if (!rows.length) throw new LedgerFileError('no_rows', 'has a header row but no payment rows under it');
    return { sheet: s.name, header, columns: Object.fromEntries([...h.cols].map(([f, i]) => [f, header[i]])), rows };
  });
  if (!found) throw new LedgerFileError('no_header', 'has no header row: expected 工号 or 姓名 with 部门');
  return found;
}
