/** Sign-in lookups: who an employee id is and which host roles they hold. */
import type { Knex } from 'knex';
import type { SessionUser } from './sso';

interface Person {
  id: string;
  name: string;
  status: string;
  department: string | null;
}

/** Everyone is an `employee`; host_user_roles adds admin, union_staff, union_chair. */
export async function sessionUserFor(db: Knex, id: string): Promise<(SessionUser & { status: string }) | null> {
  const person = await db('host_employees').where({ id }).first('id', 'name', 'status');
  if (!person) return null;
  const extra = (await db('host_user_roles').where({ user_id: id }).orderBy('role').pluck('role')) as string[];
  return { id: person.id, name: person.name, status: person.status, roles: ['employee', ...extra.filter((r) => r !== 'employee')] };
}

/**
 * The host roles someone holds now (the contract's auth.currentRoles): the module asks on each request,
 * so taking a role away here ends its use within a minute, whatever the signed token still claims.
 */
export async function currentRoles(db: Knex, id: string): Promise<string[]> {
  const [person, extra] = await Promise.all([
    db('host_employees').where({ id }).first('id'),
    db('host_user_roles').where({ user_id: id }).orderBy('role').pluck('role') as Promise<string[]>,
  ]);
  return [...(person ? ['employee'] : []), ...extra.filter((r) => r !== 'employee')];
}

/** The login page's search: an exact id or employee number, or part of a name. */
export async function findPeople(db: Knex, q: string, limit = 20): Promise<Person[]> {
  const like = q.replace(/[!%_]/g, (c) => `!${c}`);
  return db('host_employees as e')
    .leftJoin('host_departments as d', 'd.id', 'e.department_id')
    .where('e.id', q)
    .orWhere('e.employee_no', q)
    .orWhereRaw("e.name like ? escape '!'", [`%${like}%`])
    .orderBy('e.id')
    .limit(limit)
    .select('e.id', 'e.name', 'e.status', 'd.name as department');
}
