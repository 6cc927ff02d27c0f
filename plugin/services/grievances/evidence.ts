/**
 * Evidence files of a case: at most 5, each at most 5 MB, JPEG, PNG or PDF as their first bytes say
 * (never the name or the declared type), stored in the database and served only to those who may see
 * the case. A closed case takes no more files.
 */
import crypto from 'node:crypto';
import type { Ctx, Trx } from '../../context';
import type { UnionUser } from '../../auth';
import { Conflict, Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { writeAudit } from '../audit';
import { relationsTo, type GrievanceRow } from './flow';
import { moverOf } from './reading';
import { cleanName, sniff } from '../../lib/sniff';

export const MAX_FILES = 5;
export const MAX_FILE_MB = 5;

// Shared with the contracts area's evidence (lib/sniff.ts); re-exported for the tests that pin it here.
export { sniff };

export interface EvidenceFile {
  id: number;
  name: string;
  mime: string;
  size: number;
}

export interface CheckedFile {
  buffer: Buffer;
  name: string;
  mime: NonNullable<ReturnType<typeof sniff>>;
}

/** The checks every file passes before anything is written: size, and a type its bytes prove. `path` names it in a 400. */
export function checkEvidence(file: { buffer: Buffer; originalname: string }, path = 'file'): CheckedFile {
  if (file.buffer.length > MAX_FILE_MB * 1024 * 1024) throw Invalid.field(path, `is larger than ${MAX_FILE_MB} MB`);
  const mime = sniff(file.buffer);
  if (!mime) throw Invalid.field(path, 'is not a JPEG, PNG or PDF file');
  return { buffer: file.buffer, name: cleanName(file.originalname), mime };
}

/** Writes one checked file of a case with its history and audit rows, inside the caller's transaction. */
export async function storeEvidence(
  ctx: Ctx,
  trx: Trx,
  id: number,
  userId: string,
  status: string,
  file: CheckedFile,
): Promise<EvidenceFile> {
  const at = ctx.nowSql();
  const sha256 = crypto.createHash('sha256').update(file.buffer).digest('hex');
  const size = file.buffer.length;
  const [fileId] = await trx('union_grievance_files').insert({
    grievance_id: id,
    name: file.name,
    mime: file.mime,
    size,
    sha256,
    content: file.buffer,
    uploaded_by: userId,
    uploaded_at: at,
  });
  await trx('union_grievance_history').insert({
    grievance_id: id,
    at,
    actor: userId,
    action: 'evidence',
    from_status: status,
    to_status: status,
    note: file.name,
  });
  await writeAudit(
    ctx,
    trx,
    { id: userId, kind: 'user' },
    { action: 'grievance.evidence', entity: 'grievance', entityId: id, after: { fileId, mime: file.mime, size, sha256 } },
  );
  return { id: fileId, name: file.name, mime: file.mime, size };
}

export async function addEvidence(
  ctx: Ctx,
  user: UnionUser,
  id: number,
  upload: { buffer: Buffer; originalname: string },
): Promise<EvidenceFile> {
  const file = checkEvidence(upload);
  return inTransaction(ctx.db, async (trx) => {
    const row = (await lockForUpdate(trx, trx('union_grievances').where({ id }).first())) as GrievanceRow | undefined;
    if (!row || relationsTo(row, moverOf(user)).size === 0) throw new NotFound(`No grievance ${id}`);
    if (row.status === 'closed')
      throw new Conflict('The grievance is closed; it takes no more files', [{ path: 'status', message: 'closed' }]);
    const count = await trx('union_grievance_files').where({ grievance_id: id }).count({ n: '*' }).first();
    if (Number(count?.n ?? 0) >= MAX_FILES)
      throw new Conflict(`A grievance takes at most ${MAX_FILES} files`, [{ path: 'file', message: `at most ${MAX_FILES}` }]);
    return storeEvidence(ctx, trx, id, user.id, row.status, file);
  });
}

export async function listEvidence(ctx: Ctx, id: number): Promise<EvidenceFile[]> {
  return ctx.db('union_grievance_files').where({ grievance_id: id }).orderBy('id').select('id', 'name', 'mime', 'size');
}

/** A file of a case, for someone who may see the case (anyone else: 404, as for the case). */
export async function readEvidence(ctx: Ctx, user: UnionUser, id: number, fileId: number) {
  const row = (await ctx.db('union_grievances').where({ id }).first()) as GrievanceRow | undefined;
  const rel = row ? relationsTo(row, moverOf(user)) : new Set<string>();
  if (!row || rel.size === 0) throw new NotFound(`No grievance ${id}`);
  const file = await ctx.db('union_grievance_files').where({ id: fileId, grievance_id: id }).first('name', 'mime', 'content');
  if (!file) throw new NotFound(`No file ${fileId}`);
  if (rel.has('assignee') || rel.has('chair'))
    await ctx
      .db('union_grievance_reads')
      .insert({ grievance_id: id, reader_id: user.id, relation: rel.has('chair') ? 'chair' : 'assignee', at: ctx.nowSql() });
  return file as { name: string; mime: string; content: Buffer };
}
