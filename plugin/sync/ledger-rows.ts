import v8 from 'node:v8';
import type { LedgerRow } from './ledger-parse';
import { ledgerKeys, type LedgerKeys } from './ledger-match';

/**
 * A ledger's parsed rows packed into serialised chunks while its dry run works through them. Held as
 * objects, 50,000 rows are ~40 MB of live heap, and V8 lets the heap grow to a multiple of what is
 * live before it collects: the rows alone took a 50,000-row import's peak past 300 MB. Packed, they
 * are a few MB outside the heap, and only the chunk being classed is unpacked.
 */
export class PackedRows {
  private constructor(
    private readonly packs: Buffer[],
    readonly length: number,
    private keys: LedgerKeys | null,
  ) {}

  /**
   * Who the ledger could name (the people index is built from these, not from every employee), handed
   * over once: 100,000 key strings need not stay live while the rows are classed.
   */
  takeKeys(): LedgerKeys {
    const keys = this.keys;
    if (!keys) throw new Error('the ledger keys were taken already');
    this.keys = null;
    return keys;
  }

  static pack(rows: LedgerRow[], size: number): PackedRows {
    const packer = PackedRows.packer(size);
    for (const r of rows) packer.add(r);
    return packer.done();
  }

  /**
   * Packs rows as they are read, `size` at a time: a row object then lives only until its chunk is
   * full, and dies young instead of waiting in old space with the whole ledger (see readLedger).
   */
  static packer(size: number): { add(row: LedgerRow): void; done(): PackedRows } {
    const packs: Buffer[] = [];
    const keys = ledgerKeys([]);
    let chunk: LedgerRow[] = [];
    let length = 0;
    const flush = () => {
      if (!chunk.length) return;
      packs.push(v8.serialize(chunk.map(toTuple)));
      ledgerKeys(chunk, keys);
      chunk = [];
    };
    return {
      add(row) {
        chunk.push(row);
        length++;
        if (chunk.length >= size) flush();
      },
      done() {
        flush();
        return new PackedRows(packs, length, keys);
      },
    };
  }

  /** The rows, a chunk at a time, in file order. */
  *chunks(): Generator<LedgerRow[]> {
    for (const p of this.packs) yield (v8.deserialize(p) as RowTuple[]).map(fromTuple);
  }
}

/**
 * A row as an array: serialised objects repeat every field name in every row (a third of the packed
 * bytes of a 50,000-row ledger).
 */
type RowTuple = [
  LedgerRow['line'],
  LedgerRow['seq'],
  LedgerRow['name'],
  LedgerRow['employeeNo'],
  LedgerRow['department'],
  LedgerRow['memberNo'],
  LedgerRow['joinedAt'],
  LedgerRow['problems'],
  LedgerRow['raw'],
];

const toTuple = (r: LedgerRow): RowTuple => [r.line, r.seq, r.name, r.employeeNo, r.department, r.memberNo, r.joinedAt, r.problems, r.raw];

const fromTuple = (t: RowTuple): LedgerRow => ({
  line: t[0],
  seq: t[1],
  name: t[2],
  employeeNo: t[3],
  department: t[4],
  memberNo: t[5],
  joinedAt: t[6],
  problems: t[7],
  raw: t[8],
});
