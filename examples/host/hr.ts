/**
 * HR operations of the reference host: hire, exit, transfer, re-hire. Each is one transaction; the
 * event goes out only after the commit, so a subscriber never sees a change that was rolled back.
 * The JSON API and the HR page both call these.
 */
import type { Knex } from 'knex';
import type { Department, Employee, HostClock, HostEvent, HostEventType } from '../../plugin/host';
import { isMysql } from './db';
import { badRequest, conflict, notFound } from './errors';
import type { EventBus } from './events';
import { toEmployee, type EmployeeRow } from './rows';
import { EMPLOYEE_ID_SEQUENCE } from './schema';
import { sqlDateTime } from './time';
import type { ExitInput, HireInput, ListQuery, RehireInput, TransferInput } from './validate';

const MIN_WORKING_AGE = 16;

export class HrService {
  constructor(
    private readonly db: Knex,
    private readonly bus: EventBus,
    private readonly clock: HostClock,
  ) {}

  async departments(): Promise<Department[]> {
    return (await this.db('host_departments').select('id', 'name', 'parent_id').orderBy('id')).map(
      (r: { id: string; name: string; parent_id: string | null }) => ({ id: r.id, name: r.name, parentId: r.parent_id }),
    );
  }

  /** Keyset pages by id, filtered; `q` matches a name part, an employee number prefix or an exact id. */
  async list(query: ListQuery): Promise<{ items: Employee[]; nextCursor: string | null }> {
    const q = this.db<EmployeeRow>('host_employees')
      .orderBy('id')
      .limit(query.limit + 1);
    if (query.status) q.where('status', query.status);
    if (query.departmentId) q.where('department_id', query.departmentId);
    if (query.cursor) q.where('id', '>', query.cursor);
    if (query.q) {
      // '!' as the LIKE escape works the same on MySQL and SQLite (backslash does not).
      const like = query.q.replace(/[!%_]/g, (c) => `!${c}`);
      q.where((w) =>
        w
          .whereRaw("name like ? escape '!'", [`%${like}%`])
          .orWhereRaw("employee_no like ? escape '!'", [`${like}%`])
          .orWhere('id', query.q as string),
      );
    }
    const rows = await q;
    const more = rows.length > query.limit;
    const items = (more ? rows.slice(0, query.limit) : rows).map(toEmployee);
    return { items, nextCursor: more ? items[items.length - 1].id : null };
  }

  async get(id: string): Promise<Employee> {
    const row = await this.db<EmployeeRow>('host_employees').where({ id }).first();
    if (!row) throw notFound(`No employee ${id}`, [{ path: 'id', message: 'no such employee' }]);
    return toEmployee(row);
  }

  async hire(input: HireInput): Promise<Employee> {
    if (addYears(input.birthDate, MIN_WORKING_AGE) > input.hireDate) {
      throw badRequest([{ path: 'hireDate', message: `must be on or after the ${MIN_WORKING_AGE}th birthday` }]);
    }
    const employee = await this.withIdRetry((trx) => this.insertHire(trx, input));
    await this.emit('employee.hired', { employeeId: employee.id, departmentId: employee.departmentId, hireDate: employee.hireDate });
    return employee;
  }

  async exit(id: string, input: ExitInput): Promise<Employee> {
    const retired = input.retired === true || input.reason === 'retired';
    const reason = input.reason ?? (retired ? 'retired' : undefined);
    const employee = await this.db.transaction(async (trx) => {
      const row = await this.lockEmployee(trx, id);
      if (row.status !== 'employed') throw conflict(`${id} has already left`, [{ path: 'id', message: `status is ${row.status}` }]);
      if (input.exitDate < String(row.hire_date).slice(0, 10))
        throw badRequest([{ path: 'exitDate', message: 'must not be before the hire date' }]);
      return this.update(trx, id, { status: retired ? 'retired' : 'exited', exit_date: input.exitDate, exit_reason: reason ?? null });
    });
    await this.emit('employee.exited', { employeeId: id, exitDate: input.exitDate, reason, retired });
    return employee;
  }

  async transfer(id: string, input: TransferInput): Promise<Employee> {
    let from = '';
    const employee = await this.db.transaction(async (trx) => {
      const row = await this.lockEmployee(trx, id);
      await this.requireDepartment(trx, input.departmentId);
      if (row.status !== 'employed')
        throw conflict(`${id} has left and cannot be transferred`, [{ path: 'id', message: `status is ${row.status}` }]);
      if (row.department_id === input.departmentId)
        throw conflict(`${id} is already in ${input.departmentId}`, [{ path: 'departmentId', message: 'is the current department' }]);
      from = row.department_id;
      return this.update(trx, id, { department_id: input.departmentId });
    });
    await this.emit('employee.transferred', { employeeId: id, fromDepartmentId: from, departmentId: input.departmentId });
    return employee;
  }

  /** The same person comes back under the same id, which is what lets the module give back their member number. */
  async rehire(id: string, input: RehireInput): Promise<Employee> {
    const employee = await this.db.transaction(async (trx) => {
      const row = await this.lockEmployee(trx, id);
      if (row.status === 'employed') throw conflict(`${id} is still employed`, [{ path: 'id', message: 'status is employed' }]);
      if (input.departmentId) await this.requireDepartment(trx, input.departmentId);
      if (row.exit_date && input.hireDate < String(row.exit_date).slice(0, 10))
        throw badRequest([{ path: 'hireDate', message: 'must not be before the last exit date' }]);
      return this.update(trx, id, {
        status: 'employed',
        hire_date: input.hireDate,
        exit_date: null,
        exit_reason: null,
        ...(input.departmentId ? { department_id: input.departmentId } : {}),
      });
    });
    await this.emit('employee.hired', { employeeId: id, departmentId: employee.departmentId, hireDate: input.hireDate, rehire: true });
    return employee;
  }

  private async insertHire(trx: Knex.Transaction, input: HireInput): Promise<Employee> {
    const seq = String(await this.nextEmployeeNumber(trx)).padStart(6, '0');
    await this.requireDepartment(trx, input.departmentId);
    const row: EmployeeRow = {
      id: `E${seq}`,
      employee_no: `EM${seq}`,
      name: input.name.trim(),
      department_id: input.departmentId,
      gender: input.gender,
      birth_date: input.birthDate,
      hire_date: input.hireDate,
      exit_date: null,
      exit_reason: null,
      status: 'employed',
      position: input.position ?? null,
      shift_worker: input.shiftWorker ?? false,
      expatriate: input.expatriate ?? false,
      phone: input.phone ?? null,
      email: input.email ?? null,
      id_number: null,
      updated_at: sqlDateTime(this.clock.now()),
    };
    await trx('host_employees').insert(row);
    return toEmployee(row);
  }

  /**
   * The next host-issued number. The sequence row is locked first (the UPDATE), so concurrent hires take
   * numbers in turn instead of all reading the same max(id) (which gave `Duplicate entry` under load);
   * the max is read after the lock, so people loaded with E-numbers by a seed or a CSV are stepped over.
   */
  private async nextEmployeeNumber(trx: Knex.Transaction): Promise<number> {
    const series = trx('host_sequences').where({ name: EMPLOYEE_ID_SEQUENCE });
    if (!(await series.clone().increment('value', 1)))
      throw new Error(`host_sequences has no ${EMPLOYEE_ID_SEQUENCE} row (createHostSchema adds it)`);
    const issued = Number((await series.clone().first('value'))!.value);
    // Host-issued ids are E + 6 digits; ledger-loaded people keep their own numbers and are skipped here.
    const last = (await trx('host_employees')
      .where('id', 'like', 'E______')
      .andWhere('id', '>=', 'E000000')
      .andWhere('id', '<=', 'E999999')
      .max({ max: 'id' })
      .first()) as { max: string | null } | undefined;
    const taken = last?.max ? Number(last.max.slice(1)) || 0 : 0;
    if (issued > taken) return issued;
    await series.clone().update({ value: taken + 1 });
    return taken + 1;
  }

  /** An id taken meanwhile by a CSV import, or a deadlock victim: the whole hire runs again. */
  private async withIdRetry<T>(work: (trx: Knex.Transaction) => Promise<T>, attempts = 5): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await this.db.transaction(work);
      } catch (err) {
        const code = (err as { code?: string }).code;
        const retry = ['ER_DUP_ENTRY', 'ER_LOCK_DEADLOCK', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_BUSY'];
        if (!code || !retry.includes(code) || i >= attempts) throw err;
      }
    }
  }

  private async lockEmployee(trx: Knex.Transaction, id: string): Promise<EmployeeRow> {
    const q = trx<EmployeeRow>('host_employees').where({ id }).first();
    const row = await (isMysql(this.db) ? q.forUpdate() : q);
    if (!row) throw notFound(`No employee ${id}`, [{ path: 'id', message: 'no such employee' }]);
    return row;
  }

  private async requireDepartment(trx: Knex.Transaction, id: string): Promise<void> {
    if (!(await trx('host_departments').where({ id }).first('id'))) {
      throw notFound(`No department ${id}`, [{ path: 'departmentId', message: 'no such department' }]);
    }
  }

  private async update(trx: Knex.Transaction, id: string, changes: Partial<EmployeeRow>): Promise<Employee> {
    await trx('host_employees')
      .where({ id })
      .update({ ...changes, updated_at: sqlDateTime(this.clock.now()) });
    return toEmployee((await trx<EmployeeRow>('host_employees').where({ id }).first()) as EmployeeRow);
  }

  private async emit(type: HostEventType, data: HostEvent['data']): Promise<void> {
    await this.bus.emit(this.bus.create(type, data, this.clock.now()));
  }
}

function addYears(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
}
