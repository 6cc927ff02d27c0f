import type { Actor, Ctx } from '../../context';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { Invalid, NotFound } from '../../errors';
import { writeAudit } from '../audit';
import { t } from '../../i18n';

/** The seed's categories (工资福利, 劳动保护, 休假排班, 住宿通勤, 技能晋升, 女职工特殊保护, 其他). */
export const DEFAULT_CATEGORIES = [
  'wages_benefits',
  'labour_protection',
  'leave_shifts',
  'housing_commute',
  'skills_promotion',
  'female_protection',
  'other',
] as const;

export interface Category {
  code: string;
  coordinatedDays: number;
  active: boolean;
  staffIds: string[];
}

/** Adds the default categories that are missing; never touches ones the chair has configured. */
export async function seedCategories(ctx: Ctx): Promise<void> {
  const rows = DEFAULT_CATEGORIES.map((code, i) => ({ code, sort: i + 1, coordinated_days: 5, active: true }));
  await ctx.db('union_grievance_categories').insert(rows).onConflict('code').ignore();
}

export async function listCategories(ctx: Ctx, onlyActive = false): Promise<Category[]> {
  const q = ctx.db('union_grievance_categories').orderBy('sort').orderBy('code');
  if (onlyActive) q.where({ active: true });
  const [cats, staff] = await Promise.all([
    q,
    ctx.db('union_grievance_category_staff').select('category', 'employee_id').orderBy('employee_id'),
  ]);
  return cats.map((c: { code: string; coordinated_days: number; active: number | boolean }) => ({
    code: c.code,
    coordinatedDays: c.coordinated_days,
    active: Boolean(c.active),
    staffIds: staff.filter((s: { category: string }) => s.category === c.code).map((s: { employee_id: string }) => s.employee_id),
  }));
}

/** The chair names a category's handling staff and its coordinated deadline (3–5 working days). */
export async function configureCategory(
  ctx: Ctx,
  actor: Actor,
  code: string,
  input: { staffIds: string[]; coordinatedDays?: number },
): Promise<Category> {
  const known = await ctx.host.employees.getMany(input.staffIds);
  const missing = input.staffIds.filter((id) => !known.some((e) => e.id === id && e.status === 'employed'));
  if (missing.length) throw Invalid.field('body.staffIds', `are not employed people: ${missing.join(', ')}`);
  await inTransaction(ctx.db, async (trx) => {
    const cat = await lockForUpdate(trx, trx('union_grievance_categories').where({ code }).first());
    if (!cat) throw new NotFound(`No grievance category ${code}`);
    const before = await trx('union_grievance_category_staff').where({ category: code }).pluck('employee_id');
    await trx('union_grievance_category_staff').where({ category: code }).delete();
    if (input.staffIds.length)
      await trx('union_grievance_category_staff').insert(
        [...new Set(input.staffIds)].map((employee_id) => ({ category: code, employee_id })),
      );
    if (input.coordinatedDays) await trx('union_grievance_categories').where({ code }).update({ coordinated_days: input.coordinatedDays });
    await writeAudit(ctx, trx, actor, {
      action: 'grievance.category.configure',
      entity: 'grievance_category',
      entityId: code,
      before: { staffIds: before, coordinatedDays: cat.coordinated_days },
      after: { staffIds: input.staffIds, coordinatedDays: input.coordinatedDays ?? cat.coordinated_days },
    });
  });
  return (await listCategories(ctx)).find((c) => c.code === code)!;
}

/** A category's name in the module's language, for notices (a configured code without a string reads as itself). */
export function categoryLabel(ctx: Ctx, code: string): string {
  const key = `grievances.categories.${code}`;
  const text = t(ctx.settings.locale, key);
  return text === key ? code : text;
}
