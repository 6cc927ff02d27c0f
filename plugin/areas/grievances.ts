import type { Area } from './types';
import { GrievancePermissions } from '../routes/grievances/permissions';
import { adminEndpoints } from '../routes/grievances/admin';
import { caseEndpoints, jointEndpoints } from '../routes/grievances/cases';
import { grievancePages } from '../routes/grievances/pages';
import { evidenceEndpoints, evidenceUploads } from '../routes/grievances/evidence';
import { seedCategories } from '../services/grievances/categories';
import { escalateOverdue } from '../services/grievances/overdue';
import { onAssigneeExit, onAssigneeExits, reassignExitedAssignees } from '../services/grievances/exits';

/**
 * Grievances (权益诉求): intake online and offline, routing to the least-loaded handling staff, handling
 * paths with deadlines in China's working days, follow-up, repeats, statistics, confidentiality.
 * Transition table: services/grievances/flow.ts on the workflow helper (services/workflow.ts).
 */
export const grievancesArea: Area = {
  id: 'grievances',
  i18n: ['grievances'],
  permissions: GrievancePermissions,
  // Fixed paths before `/api/grievances/:id`.
  endpoints: [...adminEndpoints, ...caseEndpoints, ...jointEndpoints, ...evidenceEndpoints, ...grievancePages],
  beforeCsrf: evidenceUploads,
  jobs: {
    // Leavers' cases move first, so the overdue notices go to who holds the case now.
    'grievances-overdue': async (ctx) => {
      const reassigned = await reassignExitedAssignees(ctx);
      return { ...(await escalateOverdue(ctx)), reassigned };
    },
  },
  hostEvents: { onExit: (ctx, event) => onAssigneeExit(ctx, event) },
  hostEventBatches: { onExit: (ctx, events) => onAssigneeExits(ctx, events) },
  install: (ctx) => seedCategories(ctx),
};
