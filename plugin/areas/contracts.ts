import type { Area } from './types';
import { ContractPermissions } from '../routes/contracts/permissions';
import { contractEndpoints } from '../routes/contracts/contracts';
import { shortfallEndpoints } from '../routes/contracts/shortfalls';
import { contractPages } from '../routes/contracts/pages';
import { contractUploads } from '../routes/contracts/uploads';
import { runChecksJob } from '../services/contracts/checks';
import { remindRenewals } from '../services/contracts/renewal';

/**
 * Collective contracts (集体合同) and special contracts: verifiable clauses, quarterly compliance checks
 * with evidence and overdue data flagged, the exception review, the renewal reminder, and shortfall
 * cases (transition table: services/contracts/shortfall-flow.ts on the workflow helper).
 */
export const contractsArea: Area = {
  id: 'contracts',
  i18n: ['contracts'],
  permissions: ContractPermissions,
  endpoints: [...contractEndpoints, ...shortfallEndpoints, ...contractPages],
  beforeCsrf: contractUploads,
  jobs: {
    'contracts-checks': (ctx) => runChecksJob(ctx),
    'contracts-renewal': (ctx) => remindRenewals(ctx),
  },
};
