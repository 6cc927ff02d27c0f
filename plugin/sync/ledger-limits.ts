/**
 * What an uploaded ledger may be, and the error that says it is not. A ledger has tens of columns and
 * at most a couple of hundred thousand rows; anything far beyond that is a broken or hostile file, and
 * is refused while it is being read, before it can take the server's memory or time.
 */
import { Invalid } from '../errors';

export type FileProblem =
  | 'empty'
  | 'not_ledger_file'
  | 'old_xls'
  | 'unreadable_xlsx'
  | 'no_header'
  | 'no_rows'
  | 'too_many_rows'
  | 'too_wide'
  | 'cell_too_long'
  | 'unpacks_too_large';

/** The upload itself is wrong: a 400 that names the field `file`, with a reason the pages can translate. */
export class LedgerFileError extends Invalid {
  constructor(
    readonly problem: FileProblem,
    message: string,
  ) {
    super(`file: ${message}`, [{ path: 'file', message }]);
  }
}

/** Ledger rows under the header. */
export const MAX_ROWS = 200_000;
/** Columns of a sheet or a CSV (column IV); a ledger uses tens. */
export const MAX_COLUMNS = 256;
/** Characters in one cell: a remark fits, a pasted document does not. */
export const MAX_CELL_CHARS = 2000;
/** A row's cells as stored for the rejects file (a TEXT column holds 65,535 bytes). */
export const MAX_ROW_BYTES = 60_000;
/** The header row as stored with the import (its meta, also TEXT, holds the header and the matched names). */
export const MAX_HEADER_BYTES = 24_000;
/** Non-empty cells in one sheet: 200,000 rows of twenty columns. */
export const MAX_CELLS = 4_000_000;
/**
 * Bytes all parts of one workbook may unpack to. A 200,000-row sheet written by Excel is about 100 MB
 * of XML; past this limit a file is a zip bomb, whatever its directory claims.
 */
export const MAX_UNPACKED = 300 * 1024 * 1024;
/**
 * And one part, relative to the compressed bytes inflated so far, once past the floor: real sheet XML
 * compresses 5 to 30 times, bombs 1000 times, so a bomb stops after RATIO_FLOOR bytes.
 */
export const MAX_RATIO = 200;
export const RATIO_FLOOR = 16 * 1024 * 1024;

/** A1-style column letters for messages: 1 -> A, 256 -> IV. */
export function columnName(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

export const tooWide = (where: string) =>
  new LedgerFileError('too_wide', `${where} is beyond column ${columnName(MAX_COLUMNS)} (${MAX_COLUMNS}); a ledger has tens of columns`);
export const cellTooLong = (where: string) => new LedgerFileError('cell_too_long', `${where} holds more than ${MAX_CELL_CHARS} characters`);
export const unpacksTooLarge = () =>
  new LedgerFileError(
    'unpacks_too_large',
    `unpacks to more than a ledger holds (over ${MAX_UNPACKED / 1024 / 1024} MB or ${MAX_CELLS} cells)`,
  );
export const tooManyRows = () => new LedgerFileError('too_many_rows', `has more than ${MAX_ROWS} rows; split the ledger`);
export const unreadableXlsx = () => new LedgerFileError('unreadable_xlsx', 'is a zip file but not a readable xlsx workbook');
