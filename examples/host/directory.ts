/** The host's employee master data as the module sees it (EmployeeDirectory over host_employees). */
import type { Knex } from 'knex';
import type { Department, Employee, EmployeeDirectory, EmployeePage } from '../../plugin/host';
import { BRIEF_COLUMNS, toEmployee, toEmployeeBrief, type EmployeeRow } from './rows';
import { sqlDateTime } from './time';

/** Keeps IN (...) lists and result pages well under packet and placeholder limits. */
const IN_CHUNK = 1000;
const MAX_PAGE = 5000;

export function createEmployeeDirectory(db: Knex): EmployeeDirectory {
  return {
    async get(id) {
      const row = await db<EmployeeRow>('host_employees').where({ id }).first();
      return row ? toEmployee(row) : null;
    },

    async getMany(ids) {
      const unique = [...new Set(ids)];
      const out: Employee[] = [];
      for (let i = 0; i < unique.length; i += IN_CHUNK) {
        const rows = await db<EmployeeRow>('host_employees').whereIn('id', unique.slice(i, i + IN_CHUNK));
        for (const r of rows) out.push(toEmployee(r));
      }
      return out;
    },

    /** Keyset pages by id: stable under concurrent inserts, and every page costs the same however deep. */
    async list({ cursor, limit, updatedSince }): Promise<EmployeePage> {
      const size = Math.min(Math.max(1, Math.floor(limit) || 1), MAX_PAGE);
      const q = db<EmployeeRow>('host_employees')
        .orderBy('id')
        .limit(size + 1);
      if (cursor) q.where('id', '>', cursor);
      if (updatedSince) {
        const since = new Date(updatedSince);
        if (Number.isNaN(since.getTime())) throw new RangeError(`updatedSince is not a date: ${updatedSince}`);
        q.where('updated_at', '>=', sqlDateTime(since));
      }
      const rows = await q;
      const more = rows.length > size;
      const items = (more ? rows.slice(0, size) : rows).map(toEmployee);
      return { items, nextCursor: more ? items[items.length - 1].id : null };
    },

    /** list()'s pages with the columns of EmployeeBrief only: what the module's ledger import matches on. */
    async listBrief({ cursor, limit }) {
      const size = Math.min(Math.max(1, Math.floor(limit) || 1), MAX_PAGE);
      const q = db('host_employees')
        .orderBy('id')
        .limit(size + 1)
        .select(BRIEF_COLUMNS);
      if (cursor) q.where('id', '>', cursor);
      const rows: EmployeeRow[] = await q;
      const more = rows.length > size;
      const items = (more ? rows.slice(0, size) : rows).map(toEmployeeBrief);
      return { items, nextCursor: more ? items[items.length - 1].id : null };
    },

    async departments(): Promise<Department[]> {
      const rows = await db('host_departments').select('id', 'name', 'parent_id').orderBy('id');
      return rows.map((r: { id: string; name: string; parent_id: string | null }) => ({ id: r.id, name: r.name, parentId: r.parent_id }));
    },

    /** Name contains the text, or the employee number is it exactly; only ids leave the host. */
    async search(text, limit) {
      const q = text.trim();
      if (!q) return [];
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await db('host_employees')
        .where('name', 'like', like)
        .orWhere('employee_no', q.toUpperCase())
        .orWhere('id', q)
        .orderBy('id')
        .limit(Math.min(Math.max(1, limit), 1000))
        .select('id');
      return rows.map((r: { id: string }) => r.id);
    },

    /** Employed holders of a host role (host_user_roles); only ids leave the host. */
    async withRole(role) {
      const rows = await db('host_user_roles as r')
        .join('host_employees as e', 'e.id', 'r.user_id')
        .where({ 'r.role': role, 'e.status': 'employed' })
        .orderBy('e.id')
        .select('e.id');
      return rows.map((r: { id: string }) => r.id);
    },
  };
}
