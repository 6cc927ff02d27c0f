/** The contracts area's permissions, spelled once. Keys are what templates see as `can.<key>`; values are manifest ids. */
export const ContractPermissions = {
  contractsRead: 'union.contracts.read',
  contractsManage: 'union.contracts.manage',
} as const;

export const K = ContractPermissions;
