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
    const packs: Buffer[] = [];
    for (let i = 0; i < rows.length; i += size) packs.push(v8.serialize(rows.slice(i, i + size)));
    return new PackedRows(packs, rows.length, ledgerKeys(rows));
  }

  /** The rows, a chunk at a time, in file order. */
  *chunks(): Generator<LedgerRow[]> {
    for (const p of this.packs) yield v8.deserialize(p) as LedgerRow[];
  }
}
