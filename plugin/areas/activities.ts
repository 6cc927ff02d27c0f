import type { Area } from './types';
import { ActivityPermissions } from '../routes/activities/permissions';
import { manageEndpoints } from '../routes/activities/manage';
import { registrationEndpoints } from '../routes/activities/registrations';
import { attendanceEndpoints } from '../routes/activities/attendance';
import { reportEndpoints } from '../routes/activities/reports';
import { analysisEndpoints } from '../routes/activities/analysis';
import { posterEndpoints } from '../routes/activities/poster';
import { posterFormEndpoints, posterUploads } from '../routes/activities/poster-form';
import { staffPages } from '../routes/activities/staff-pages';
import { employeeDetailPages, employeePages, staffListPages } from '../routes/activities/pages';
import { onHostExit, onHostExits, releaseLeavers, releasePlacesOnExit } from '../services/activities/exit';
import { expireOffers, finishPast } from '../services/activities/registrations';
import { sendReminders } from '../services/activities/reminders';

/**
 * Activities (活动): staff publish, employees sign up from a phone, capacity never overbooked (the
 * activity's and options' counter rows are locked, then checked, then written), the waitlist promoted
 * in arrival order, places released on exit, reminders, check-in, feedback and statistics.
 */
export const activitiesArea: Area = {
  id: 'activities',
  i18n: ['activities'],
  permissions: ActivityPermissions,
  // Fixed paths before parameters: /activities/manage must not be read as an activity id.
  endpoints: [
    ...manageEndpoints,
    ...registrationEndpoints,
    ...attendanceEndpoints,
    ...reportEndpoints,
    ...posterEndpoints,
    ...posterFormEndpoints,
    ...employeePages,
    ...staffListPages,
    ...analysisEndpoints,
    ...staffPages,
    ...employeeDetailPages,
  ],
  jobs: {
    'activities-remind': (ctx) => sendReminders(ctx, { id: 'job:activities-remind', kind: 'job' }),
    'activities-offers': async (ctx) => {
      const actor = { id: 'job:activities-offers', kind: 'job' as const };
      return { ...(await expireOffers(ctx, actor)), finished: await finishPast(ctx, actor), released: await releaseLeavers(ctx, actor) };
    },
  },
  // Members' places go with their membership (in its writer's transaction); everyone else's with the host's exit.
  subscribers: [releasePlacesOnExit],
  hostEvents: { onHostEvent: onHostExit },
  hostEventBatches: { onHostEvent: onHostExits },
  // The poster form is multipart: its CSRF token is inside the body, read before the check.
  beforeCsrf: posterUploads,
};
