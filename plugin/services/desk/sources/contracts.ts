/**
 * Collective contracts on the desk: the exception review's items (latest check not met, data missing or
 * overdue) and shortfall cases past their step's deadline, for the staff who manage contracts; for the
 * report, the exceptions counted by kind. Contracts are union-wide: a branch's staff see the same list.
 */
import { exceptionCounts, overdueShortfalls } from '../../contracts/desk-figures';
import { K } from '../../../routes/contracts/permissions';
import type { DeskSource } from '../types';

export const contractsSource: DeskSource = {
  area: 'contracts',
  async todos(ctx, viewer) {
    if (!viewer.permissions.has(K.contractsManage)) return [];
    const [exceptions, shortfalls] = await Promise.all([exceptionCounts(ctx), overdueShortfalls(ctx)]);
    return [
      { kind: 'contractExceptions', count: exceptions.total, href: '/union/contracts/review' },
      { kind: 'shortfallsOverdue', count: shortfalls, href: '/union/contracts/review' },
    ];
  },
  async kpis() {
    return [];
  },
  async notable(ctx, viewer) {
    if (!viewer.permissions.has(K.contractsManage)) return [];
    const e = await exceptionCounts(ctx);
    if (!e.total) return [];
    return [{ kind: 'contractExceptions', text: 'desk.notable.contractExceptions', vars: { ...e } }];
  },
};
