/** The desk's permissions, spelled once. Keys are what templates see as `can.<key>`; values are manifest ids. */
export const DeskPermissions = {
  deskView: 'union.desk.view',
  deskReport: 'union.desk.report',
} as const;

export const D = DeskPermissions;
