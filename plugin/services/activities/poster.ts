import type { Readable } from 'node:stream';
import type { Metadata } from 'sharp';
import type { Actor, Ctx } from '../../context';
import { Invalid, NotFound, UnionError } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { sharp } from '../../lib/heavy';
import { writeAudit } from '../audit';

export const POSTER_MAX_BYTES = 5 * 1024 * 1024;

/** Why a poster is refused, as the messages the API sends; the edit page shows each in the page's language. */
export const POSTER_PROBLEMS = {
  missing: 'is required: choose a JPEG, PNG or WebP image',
  notImage: 'is not an image',
  kind: 'must be a JPEG, PNG or WebP image',
  tooLarge: 'is too large',
} as const;
const KINDS = new Set(['jpeg', 'png', 'webp']);

/** Reads an upload's bytes, refusing more than `max` without reading the rest. */
export async function readBody(stream: Readable, max = POSTER_MAX_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max)
      throw new UnionError(413, 'too_large', `The poster may be at most ${max} bytes`, [
        { path: 'body', message: POSTER_PROBLEMS.tooLarge },
      ]);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A poster is judged by its bytes (what sharp decodes), never by its name or declared type; it is
 * re-encoded (at most 1600 px wide, rotated upright) so no metadata or trailing payload survives.
 */
export async function savePoster(ctx: Ctx, actor: Actor, activityId: number, bytes: Buffer, field = 'body') {
  let meta: Metadata;
  try {
    meta = await sharp()(bytes).metadata();
  } catch {
    throw Invalid.field(field, POSTER_PROBLEMS.notImage);
  }
  if (!meta.format || !KINDS.has(meta.format)) throw Invalid.field(field, POSTER_PROBLEMS.kind);
  const { data, info } = await sharp()(bytes)
    .rotate()
    .resize({ width: 1600, withoutEnlargement: true })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  await inTransaction(ctx.db, async (trx) => {
    const a = await lockForUpdate(trx, trx('union_activities').where({ id: activityId }).first('id'));
    if (!a) throw new NotFound('No such activity');
    const row = {
      mime: 'image/jpeg',
      bytes: data,
      width: info.width,
      height: info.height,
      uploaded_by: actor.id,
      uploaded_at: ctx.nowSql(),
    };
    await trx('union_activity_posters')
      .insert({ activity_id: activityId, ...row })
      .onConflict('activity_id')
      .merge();
    await writeAudit(ctx, trx, actor, {
      action: 'activity.poster',
      entity: 'activity',
      entityId: activityId,
      after: { from: meta.format, bytes: data.length, width: info.width, height: info.height },
    });
  });
  return { width: info.width, height: info.height, bytes: data.length, mime: 'image/jpeg' };
}

export async function loadPoster(ctx: Ctx, activityId: number): Promise<{ mime: string; bytes: Buffer } | null> {
  const row = await ctx.db('union_activity_posters').where({ activity_id: activityId }).first('mime', 'bytes');
  return row ? { mime: row.mime as string, bytes: row.bytes as Buffer } : null;
}

export async function hasPoster(ctx: Ctx, activityId: number): Promise<boolean> {
  return !!(await ctx.db('union_activity_posters').where({ activity_id: activityId }).first('activity_id'));
}

/** When the poster was last replaced (a cache key for its address), or null without one. */
export async function posterVersion(ctx: Ctx, activityId: number): Promise<string | null> {
  const row = await ctx.db('union_activity_posters').where({ activity_id: activityId }).first('uploaded_at');
  return row ? String(row.uploaded_at).replace(/\D/g, '') : null;
}
