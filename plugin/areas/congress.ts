import type { Area } from './types';
import { CongressPermissions } from '../routes/congress/permissions';
import { sessionEndpoints } from '../routes/congress/sessions';
import { voteEndpoints } from '../routes/congress/votes';
import { motionEndpoints } from '../routes/congress/motions';
import { matterEndpoints } from '../routes/congress/matters';
import { congressPages } from '../routes/congress/pages';
import { formEndpoints } from '../routes/congress/forms';
import { chaseOverdueMotions } from '../services/congress/overdue';

/**
 * The workers' congress (职代会): sessions with their delegates and composition, the matters list,
 * lawful votes (quorum of two thirds of all delegates, a majority of all delegates, secret ballots that
 * cannot be linked to a person), and motions on the workflow helper (services/congress/flow.ts).
 */
export const congressArea: Area = {
  id: 'congress',
  i18n: ['congress'],
  permissions: CongressPermissions,
  endpoints: [...formEndpoints, ...sessionEndpoints, ...voteEndpoints, ...motionEndpoints, ...matterEndpoints, ...congressPages],
  jobs: { 'congress-overdue': (ctx) => chaseOverdueMotions(ctx) },
};
