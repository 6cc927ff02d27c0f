import type { Ctx } from '../context';
import type { UnionRole } from '../settings';

/** Host roles that the module's role mapping turns into `role`. */
function hostRolesFor(ctx: Ctx, role: UnionRole): string[] {
  return Object.entries(ctx.settings.roleMapping)
    .filter(([host, roles]) => host !== '*' && roles.includes(role))
    .map(([host]) => host);
}

/**
 * People holding a union role, as the host lists them (an optional member of the host contract: [] without
 * it). Every area that tells "the staff" or "the chair" something asks here.
 */
export async function peopleWithRole(ctx: Ctx, role: UnionRole): Promise<string[]> {
  const withRole = ctx.host.employees.withRole?.bind(ctx.host.employees);
  if (!withRole) return [];
  const lists = await Promise.all(hostRolesFor(ctx, role).map((r) => withRole(r)));
  return [...new Set(lists.flat())].sort();
}
