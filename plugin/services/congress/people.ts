import type { Ctx } from '../../context';
import { Invalid } from '../../errors';

/**
 * Who a person typed on a form means: an employee number (工号) or id exactly, else a name that matches
 * one employed person. Pages take what people know, never the host's internal ids; the API takes ids.
 * Without the host's optional search, only an exact id is understood.
 */
export async function resolvePerson(ctx: Ctx, text: string, field: string): Promise<string> {
  const q = text.trim();
  const search = ctx.host.employees.search?.bind(ctx.host.employees);
  const ids = search ? await search(q, 20) : [q];
  const found = (await ctx.host.employees.getMany(ids)).filter((e) => e.status === 'employed');
  const exact = found.filter((e) => e.id === q || e.employeeNo.toUpperCase() === q.toUpperCase());
  const named = found.filter((e) => e.name === q);
  const pick = exact.length === 1 ? exact : named.length === 1 ? named : found.length === 1 ? found : [];
  if (pick.length === 1) return pick[0].id;
  throw Invalid.field(field, found.length ? 'matches several people; give the employee number' : 'matches nobody employed').because(
    found.length ? 'congress_person_ambiguous' : 'congress_person_unknown',
    { text: q },
  );
}

/** One person per line of a textarea; the first line that fails is named by its index. */
export async function resolvePeople(ctx: Ctx, lines: string, field: string): Promise<string[]> {
  const wanted = lines
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const [i, line] of wanted.entries()) out.push(await resolvePerson(ctx, line, `${field}.${i}`));
  return out;
}
