import type { Area } from './types';
import { membershipArea } from './membership';
import { activitiesArea } from './activities';
import { grievancesArea } from './grievances';
import { careArea } from './care';
import { congressArea } from './congress';
import { contractsArea } from './contracts';

/**
 * Every area of the module, in the order their routes are mounted. This list is the only place that
 * names them: the lifecycle, the router, the scheduler and the load-time checks loop over it.
 */
export const AREAS: readonly Area[] = [membershipArea, activitiesArea, grievancesArea, careArea, congressArea, contractsArea];
