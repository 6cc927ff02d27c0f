import type { Area } from './types';
import { MembershipPermissions } from '../routes/membership/permissions';
import { meEndpoints } from '../routes/membership/me';
import { memberEndpoints } from '../routes/membership/members';
import { joinEndpoints } from '../routes/membership/join';
import { invitationEndpoints } from '../routes/membership/invitations';
import { syncEndpoints } from '../routes/membership/sync';
import { statsEndpoints } from '../routes/membership/stats';
import { orgEndpoints } from '../routes/membership/orgs';
import { importEndpoints } from '../routes/membership/imports';
import { importUploads } from '../routes/membership/uploads';
import { webhookRouter } from '../sync/webhook';
import { ingestHostEvent } from '../sync/events';
import { reconcile } from '../sync/reconcile';
import { applyDue } from '../jobs/apply-due';
import { purgeOldImportRows, recoverStale } from '../services/imports';
import { ensureRootOrg } from '../services/orgs';
import { recordInstall } from '../services/install-info';
import { invitationTracking } from '../services/invitation-tracking';
import { CatchUp } from '../jobs/catch-up';
import { membershipNotices } from '../services/membership-notices';

/**
 * Membership (会员/会籍): who is a member, following the host's hire, exit and transfer events by
 * itself; join applications, invitations, the ledger, legacy-ledger import, coverage, union orgs.
 * Rules: services/decide.ts; the one writer: applyPlans in services/memberships.ts, which publishes
 * membership.joined / invited / expired / retained / withdrew / transferred.
 */
export const membershipArea: Area = {
  id: 'membership',
  i18n: ['members', 'imports', 'export'],
  permissions: MembershipPermissions,
  endpoints: [
    ...meEndpoints,
    ...memberEndpoints,
    ...joinEndpoints,
    ...invitationEndpoints,
    ...syncEndpoints,
    ...statsEndpoints,
    ...orgEndpoints,
    ...importEndpoints,
  ],
  jobs: {
    reconcile: (ctx, by) => reconcile(ctx, by),
    'apply-due': async (ctx) => ({ ...(await applyDue(ctx)), importRowsPurged: await purgeOldImportRows(ctx) }),
  },
  hostEvents: { onHostEvent: ingestHostEvent },
  subscribers: [invitationTracking, membershipNotices],
  publicRoutes: (ctx) => webhookRouter(ctx),
  beforeCsrf: importUploads,
  async install(ctx) {
    await ensureRootOrg(ctx);
    await recordInstall(ctx);
    // The first sync records who is employed (not enrolling anyone), so coverage is right from the start.
    if (!(await ctx.db('union_employees').first('employee_id'))) {
      await reconcile(ctx, { trigger: 'install', actor: { id: 'system:install', kind: 'system' } });
      return { synced: true };
    }
  },
  // Imports left running by a process that died are failed and their staged rows deleted, before anyone asks.
  async beforeEnable(ctx) {
    await recoverStale(ctx).catch((err: unknown) => ctx.host.logger.error({ err }, 'union: could not recover stalled imports'));
  },
  // Hires, exits and transfers made while the module was off reached it by no event: reconcile in the background.
  onEnable(ctx, { runJob, installSynced }) {
    if (installSynced) return;
    const catchUp = new CatchUp(ctx, (by) => runJob('reconcile', by));
    catchUp.start();
    return catchUp;
  },
};
