/** Turns the desk's figures into what a card shows: the value in its unit, the change, a label key. */
import type { Kpi, Todo } from '../../services/desk/types';
import { formatChange, formatValue } from '../../services/desk/format';

export { formatValue };

export const presentKpi = (k: Kpi) => ({
  ...k,
  shown: formatValue(k.unit, k.value),
  previousShown: formatValue(k.unit, k.previous),
  change: formatChange(k),
  labelKey: `desk.kpis.${k.key}`,
});

/** To-dos with work first; those at zero stay listed (the person sees nothing is waiting) but after. */
export const presentTodos = (todos: Todo[]) =>
  [...todos]
    .sort((a, b) => Number(b.count > 0) - Number(a.count > 0))
    .map((t) => ({ ...t, labelKey: `desk.todos.${t.kind}`, none: t.count === 0 }));
