import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

/** Every table the module owns, from the database itself (so tables added by later migrations are included). */
export async function unionTables(db: Knex): Promise<string[]> {
  const client = db.client.config.client as string;
  if (client.startsWith('mysql')) {
    const [rows] = await db.raw(
      "select table_name as name from information_schema.tables where table_schema = database() and table_name like 'union\\_%' order by 1",
    );
    return (rows as Array<{ name: string }>).map((r) => r.name);
  }
  const rows: Array<{ name: string }> = await db.raw(
    "select name from sqlite_master where type = 'table' and name like 'union\\_%' escape '\\' order by 1",
  );
  return rows.map((r) => r.name);
}

/**
 * Writes every union_ table as JSON Lines into `dir` (one file per table, read in id order by pages),
 * so an uninstall that drops tables always leaves a full copy behind.
 */
export async function exportAll(db: Knex, dir: string): Promise<Record<string, number>> {
  fs.mkdirSync(dir, { recursive: true });
  const counts: Record<string, number> = {};
  for (const table of await unionTables(db)) {
    const file = fs.createWriteStream(path.join(dir, `${table}.jsonl`));
    let offset = 0;
    counts[table] = 0;
    for (;;) {
      const rows = await db(table).select().orderByRaw('1').limit(5000).offset(offset);
      for (const r of rows) file.write(`${JSON.stringify(r)}\n`);
      counts[table] += rows.length;
      offset += rows.length;
      if (rows.length < 5000) break;
    }
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ exportedAt: new Date().toISOString(), counts }, null, 2));
  return counts;
}
