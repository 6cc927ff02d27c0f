/** The membership area's permissions, spelled once. Keys are what templates see as `can.<key>`; values are manifest ids. */
export const MembershipPermissions = {
  portalView: 'union.portal.view',
  joinApply: 'union.join.apply',
  membersRead: 'union.members.read',
  membersManage: 'union.members.manage',
  membersApprove: 'union.members.approve',
  membersOverride: 'union.members.override',
  membersExport: 'union.members.export',
  importRun: 'union.import.run',
  syncRun: 'union.sync.run',
  statsRead: 'union.stats.read',
  orgsManage: 'union.orgs.manage',
  settingsManage: 'union.settings.manage',
} as const;

export const P = MembershipPermissions;
