/** The activities area's permissions, spelled once. Keys are what templates see as `can.<key>`; values are manifest ids. */
export const ActivityPermissions = {
  activitiesJoin: 'union.activities.join',
  activitiesManage: 'union.activities.manage',
} as const;

export const AP = ActivityPermissions;
