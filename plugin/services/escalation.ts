/**
 * The escalation level something overdue has reached (a grievance, a congress motion's answer, an
 * assistance case's step). Pure: 1 once its deadline has passed (tell whoever holds it), 2 once they have
 * had a further working day and it is still open (tell the chair). `workingDaysLate` counts working days
 * after the due day up to today. Each area raises its own rows to the level with a conditional UPDATE.
 */
export function levelFor(dueDate: string, today: string, workingDaysLate: number): 0 | 1 | 2 {
  if (today <= dueDate) return 0;
  return workingDaysLate >= 2 ? 2 : 1;
}
