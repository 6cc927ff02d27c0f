/**
 * Evidence files of a check item or a shortfall case, kept as grievances keep theirs: at most 10 per
 * record, each at most 5 MB, JPEG, PNG or PDF as the first bytes say (lib/sniff.ts), stored in the
 * database (no public folder, the same for every instance) and served only to staff.
 */
import crypto from 'node:crypto';
import type { Actor, Ctx } from '../../context';
import { Conflict, Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { cleanName, sniff } from '../../lib/sniff';
import { writeAudit } from '../audit';
import { CLOSED } from './shortfall-flow';

export const MAX_FILES = 10;
export const MAX_FILE_MB = 5;
export type Owner = 'item' | 'shortfall';

const TABLES: Record<Owner, string> = { item: 'union_contract_check_items', shortfall: 'union_shortfalls' };

export interface StoredFile {
  id: number;
  name: string;
  mime: string;
  size: number;
}

export async function addFile(
  ctx: Ctx,
  actor: Actor,
  owner: Owner,
  ownerId: number,
  file: { buffer: Buffer; originalname: string },
  /** For an item reached through its check's page: the check it must belong to. */
  checkId?: number,
): Promise<StoredFile> {
  if (file.buffer.length > MAX_FILE_MB * 1024 * 1024) throw Invalid.field('file', `is larger than ${MAX_FILE_MB} MB`);
  const mime = sniff(file.buffer);
  if (!mime) throw Invalid.field('file', 'is not a JPEG, PNG or PDF file');
  const name = cleanName(file.originalname);
  return inTransaction(ctx.db, async (trx) => {
    const row = (await lockForUpdate(trx, trx(TABLES[owner]).where({ id: ownerId }).first())) as
      { status?: string; check_id?: number } | undefined;
    if (!row || (checkId !== undefined && row.check_id !== checkId)) throw new NotFound(`No ${owner} ${ownerId}`);
    if (owner === 'shortfall' && CLOSED.includes(row.status!))
      throw new Conflict(`The case is ${row.status}; it takes no more files`, [{ path: 'status', message: row.status! }]);
    const count = await trx('union_contract_files').where({ owner_kind: owner, owner_id: ownerId }).count({ n: '*' }).first();
    if (Number(count?.n ?? 0) >= MAX_FILES)
      throw new Conflict(`At most ${MAX_FILES} files`, [{ path: 'file', message: `at most ${MAX_FILES}` }]);
    const at = ctx.nowSql();
    const sha256 = crypto.createHash('sha256').update(file.buffer).digest('hex');
    const [id] = await trx('union_contract_files').insert({
      owner_kind: owner,
      owner_id: ownerId,
      name,
      mime,
      size: file.buffer.length,
      sha256,
      content: file.buffer,
      uploaded_by: actor.id,
      uploaded_at: at,
    });
    if (owner === 'shortfall')
      await trx('union_shortfall_history').insert({
        shortfall_id: ownerId,
        at,
        actor: actor.id,
        action: 'evidence',
        from_status: row.status,
        to_status: row.status,
        note: name,
      });
    await writeAudit(ctx, trx, actor, {
      action: `${owner === 'item' ? 'contract_item' : 'shortfall'}.evidence`,
      entity: owner === 'item' ? 'contract_item' : 'shortfall',
      entityId: ownerId,
      after: { fileId: id, mime, size: file.buffer.length, sha256 },
    });
    return { id, name, mime, size: file.buffer.length };
  });
}

export async function countFiles(ctx: Ctx, owner: Owner, ownerId: number, db = ctx.db): Promise<number> {
  const row = await db('union_contract_files').where({ owner_kind: owner, owner_id: ownerId }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function listFiles(ctx: Ctx, owner: Owner, ownerId: number): Promise<StoredFile[]> {
  return ctx.db('union_contract_files').where({ owner_kind: owner, owner_id: ownerId }).orderBy('id').select('id', 'name', 'mime', 'size');
}

export async function readFile(ctx: Ctx, owner: Owner, ownerId: number, fileId: number) {
  const file = await ctx
    .db('union_contract_files')
    .where({ id: fileId, owner_kind: owner, owner_id: ownerId })
    .first('name', 'mime', 'content');
  if (!file) throw new NotFound(`No file ${fileId}`);
  return file as { name: string; mime: string; content: Buffer };
}

/** The files of many owners of one kind in one query, by owner id (a check page lists every item's files). */
export async function filesOf(ctx: Ctx, owner: Owner, ids: number[]): Promise<Map<number, StoredFile[]>> {
  const out = new Map<number, StoredFile[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows: Array<StoredFile & { owner_id: number }> = await ctx
    .db('union_contract_files')
    .where({ owner_kind: owner })
    .whereIn('owner_id', ids)
    .orderBy('id')
    .select('id', 'owner_id', 'name', 'mime', 'size');
  for (const { owner_id, ...f } of rows) out.get(owner_id)?.push(f);
  return out;
}
