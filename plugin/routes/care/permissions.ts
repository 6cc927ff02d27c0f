/** The care area's permissions, spelled once. Keys are what templates see as `can.<key>`; values are manifest ids. */
export const CarePermissions = {
  careRead: 'union.care.read',
  careExport: 'union.care.export',
  careNotify: 'union.care.notify',
  welfareManage: 'union.welfare.manage',
  welfareOwn: 'union.welfare.own',
} as const;

export const C = CarePermissions;
