import type { Ctx } from '../context';
import type { Db } from '../lib/db';

/** The date the module was first installed: employees hired before it are not treated as new hires. */
export async function installedOn(ctx: Ctx, db: Db = ctx.db): Promise<string> {
  const row = await db('union_settings').where({ key: 'installed_on' }).first('value');
  return row ? (JSON.parse(row.value) as string) : ctx.today();
}

export async function recordInstall(ctx: Ctx): Promise<void> {
  await ctx
    .db('union_settings')
    .insert({ key: 'installed_on', value: JSON.stringify(ctx.today()), updated_by: 'system', updated_at: ctx.nowSql() })
    .onConflict('key')
    .ignore();
}

/** A random secret per installation, shared by every instance through the database. */
export async function instanceSecret(ctx: Ctx, key: string): Promise<string> {
  const row = await ctx.db('union_settings').where({ key }).first('value');
  if (row) return JSON.parse(row.value) as string;
  const value = (await import('node:crypto')).randomBytes(32).toString('base64url');
  await ctx
    .db('union_settings')
    .insert({ key, value: JSON.stringify(value), updated_by: 'system', updated_at: ctx.nowSql() })
    .onConflict('key')
    .ignore();
  const again = await ctx.db('union_settings').where({ key }).first('value');
  return JSON.parse(again.value) as string;
}
