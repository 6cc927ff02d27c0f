/** The grievances area's permissions, spelled once. Keys are what templates see as `can.<key>`; values are manifest ids. */
export const GrievancePermissions = {
  grievancesFile: 'union.grievances.file',
  grievancesHandle: 'union.grievances.handle',
  grievancesOversee: 'union.grievances.oversee',
  calendarManage: 'union.calendar.manage',
} as const;

export const G = GrievancePermissions;
