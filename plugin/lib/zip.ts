/**
 * Reads the entries of a zip (an xlsx is one) without believing what its directory says they unpack to:
 * an entry is inflated as a stream, its bytes are counted as they come out, and the read stops at a
 * budget. A zip bomb therefore costs at most the budget in time and one chunk in memory.
 */
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** Where the entry's compressed bytes start in the file. */
  dataStart: number;
}

export class ZipError extends Error {
  constructor(
    readonly reason: 'corrupt' | 'unsupported' | 'too_big',
    message: string,
  ) {
    super(message);
  }
}

/** Bytes inflated so far across every entry read for one file, against a limit. */
export interface InflateBudget {
  used: number;
  limit: number;
}

const MAX_ENTRIES = 10_000;
const CHUNK = 64 * 1024;

/** The entries of the central directory, by name. Sizes are taken for the compressed bytes only. */
export function zipEntries(b: Buffer): Map<string, ZipEntry> {
  const from = Math.max(0, b.length - 65_557);
  let eocd = -1;
  for (let i = b.length - 22; i >= from; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('corrupt', 'no end of central directory');
  const count = b.readUInt16LE(eocd + 10);
  if (count > MAX_ENTRIES) throw new ZipError('unsupported', 'too many entries');
  let at = b.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== 0x02014b50) throw new ZipError('corrupt', 'bad central directory');
    const flags = b.readUInt16LE(at + 8);
    const method = b.readUInt16LE(at + 10);
    const compressedSize = b.readUInt32LE(at + 20);
    const nameLen = b.readUInt16LE(at + 28);
    const local = b.readUInt32LE(at + 42);
    const name = b.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
    if (compressedSize === 0xffffffff || local === 0xffffffff) throw new ZipError('unsupported', 'zip64');
    if (flags & 0x1) throw new ZipError('unsupported', 'encrypted entry');
    if (local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) throw new ZipError('corrupt', 'bad local header');
    const dataStart = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    if (dataStart + compressedSize > b.length) throw new ZipError('corrupt', 'entry runs past the end of the file');
    entries.set(name, { name, method, compressedSize, dataStart });
  }
  return entries;
}

/**
 * How much an entry may unpack to: `limit` bytes in all, and past `floor` bytes no more than `ratio`
 * times the compressed bytes inflated so far. The ratio is checked as the bytes come out, so a bomb
 * (a thousand to one) is stopped after `floor` bytes, not after the whole budget.
 */
export interface EntryLimit {
  limit?: number;
  ratio?: number;
  floor?: number;
}

/**
 * Streams one entry's inflated bytes to `onChunk`, counting them against `budget` (and against `entry`
 * limits for this entry alone). onChunk may return false to stop reading early. Inflating runs on
 * libuv's threads a chunk at a time, so the event loop keeps serving other requests meanwhile.
 */
export function readEntry(
  b: Buffer,
  e: ZipEntry,
  budget: InflateBudget,
  onChunk: (chunk: Buffer) => boolean | void,
  entry: EntryLimit = {},
): Promise<void> {
  const data = b.subarray(e.dataStart, e.dataStart + e.compressedSize);
  const { limit = Infinity, ratio = Infinity, floor = 0 } = entry;
  let read = 0;
  /** `consumed`: compressed bytes the inflater has taken in so far (all of them for a stored entry). */
  const count = (n: number, consumed: number) => {
    read += n;
    budget.used += n;
    if (budget.used > budget.limit || read > limit || (read > floor && read > consumed * ratio))
      throw new ZipError('too_big', `${e.name} unpacks to more than allowed`);
  };
  if (e.method === 0) {
    return new Promise((resolve, reject) => {
      try {
        for (let at = 0; at < data.length; at += CHUNK) {
          const chunk = data.subarray(at, at + CHUNK);
          count(chunk.length, at + chunk.length);
          if (onChunk(chunk) === false) break;
        }
        resolve();
      } catch (err) {
        reject(err);
      }
    });
  }
  if (e.method !== 8) return Promise.reject(new ZipError('unsupported', `compression method ${e.method}`));
  return new Promise((resolve, reject) => {
    const inflate = zlib.createInflateRaw({ chunkSize: CHUNK });
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      inflate.destroy();
      if (err) reject(err);
      else resolve();
    };
    inflate.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        count(chunk.length, inflate.bytesWritten);
        if (onChunk(chunk) === false) finish();
      } catch (err) {
        finish(err);
      }
    });
    inflate.on('end', () => finish());
    inflate.on('error', () => finish(new ZipError('corrupt', `${e.name} is not a valid deflate stream`)));
    // The input goes in slices too, so that a stop takes effect without inflating all that was written.
    let at = 0;
    const pump = () => {
      while (!settled && at < data.length) {
        const more = inflate.write(data.subarray(at, (at += CHUNK)));
        if (!more) return void inflate.once('drain', pump);
      }
      if (!settled) inflate.end();
    };
    pump();
  });
}
