import type { Area } from './types';
import { CarePermissions } from '../routes/care/permissions';
import { groupEndpoints } from '../routes/care/groups';
import { welfareEndpoints } from '../routes/care/welfare';
import { welfarePayEndpoints } from '../routes/care/welfare-pay';
import { welfareImportEndpoints } from '../routes/care/welfare-import';
import { uploadsFor } from '../routes/membership/uploads';
import { C } from '../routes/care/permissions';
import { monthlyGapReport } from '../services/care/welfare-gaps';
import { refreshProfile, refreshProfilesOf, refreshProfiles } from '../services/care/profiles';
import { AssistancePermissions } from '../routes/care/assistance-permissions';
import { assistanceEndpoints } from '../routes/care/assistance';
import { assistancePages } from '../routes/care/assistance-pages';
import { spendingEndpoints } from '../routes/care/spending';
import { remindReviews } from '../services/care/assistance-review';
import { escalateOverdueCases } from '../services/care/assistance-overdue';

/**
 * Care (关爱服务): the six service groups derived from HR data (services/care/groups.ts over the
 * derived profile table that services/care/profiles.ts keeps from the host), and the welfare ledger.
 * Hardship assistance (专项帮扶, services/care/assistance*.ts) feeds the hardship group through
 * services/care/hardship-seam.ts and pays through the welfare ledger's writer; spending.ts says where the money went.
 */
export const careArea: Area = {
  id: 'care',
  i18n: ['care', 'assistance'],
  permissions: { ...CarePermissions, ...AssistancePermissions },
  // Fixed assistance paths are declared before `/assistance/:id`.
  endpoints: [
    ...groupEndpoints,
    ...welfareEndpoints,
    ...welfarePayEndpoints,
    ...welfareImportEndpoints,
    ...assistanceEndpoints,
    ...assistancePages,
    ...spendingEndpoints,
  ],
  // Finance's payment list arrives as multipart with the CSRF token inside: read it before the check.
  beforeCsrf: () => uploadsFor(new Set(['/welfare/imports']), C.welfareManage),
  jobs: {
    'care-refresh': (ctx, by) => refreshProfiles(ctx, by.actor),
    'welfare-gaps': (ctx) => monthlyGapReport(ctx),
    'assistance-review': (ctx) => remindReviews(ctx),
    'assistance-overdue': (ctx) => escalateOverdueCases(ctx),
  },
  hostEvents: {
    onHostEvent: (ctx, event) => refreshProfile(ctx, { id: `event:${event.id}`, kind: 'event' }, event.data.employeeId),
  },
  hostEventBatches: {
    onHostEvent: (ctx, events) =>
      refreshProfilesOf(
        ctx,
        events.map((e) => ({ employeeId: e.data.employeeId, actor: { id: `event:${e.id}`, kind: 'event' } })),
      ),
  },
  async install(ctx) {
    // Groups are right from the first day: read HR once if the profiles are empty (first install or upgrade).
    if (!(await ctx.db('union_care_profiles').first('employee_id'))) {
      await refreshProfiles(ctx, { id: 'system:install', kind: 'system' });
    }
  },
};
