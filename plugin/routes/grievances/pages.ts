import { page } from '../../areas/types';
import { t } from '../../i18n';
import { listCategories } from '../../services/grievances/categories';
import { inbox, myCases, overdueList, viewCase } from '../../services/grievances/reading';
import { grievanceStats } from '../../services/grievances/stats';
import { rectificationList } from '../../services/grievances/repeats';
import { ownerCandidates, routingNotice } from '../../services/grievances/routing';
import { unknownYears } from '../../lib/workdays';
import { categoryPie, monthBars } from '../../services/grievances/charts';
import { CHANNELS, EVALUATIONS, OUTCOMES, PATHS } from '../../services/grievances/flow';
import { MAX_FILE_MB, MAX_FILES } from '../../services/grievances/evidence';
import { myJointTasks } from '../../services/grievances/joint';
import { G } from './permissions';
import * as S from './schemas';

export const grievancePages = [
  page({
    name: 'grievances.minePage',
    path: '/grievances',
    access: G.grievancesFile,
    navKey: 'union.grievances',
    titleKey: 'grievances.titles.mine',
    view: 'grievances/mine',
    async load({ ctx, user }) {
      const [items, categories, jointTasks] = await Promise.all([
        myCases(ctx, user),
        listCategories(ctx, true),
        myJointTasks(ctx, user.id),
      ]);
      return { items, categories, jointTasks, maxFiles: MAX_FILES, maxFileMb: MAX_FILE_MB };
    },
  }),

  page<never, { scope?: 'mine' | 'all' }>({
    name: 'grievances.inboxPage',
    path: '/grievances/inbox',
    access: G.grievancesHandle,
    navKey: 'union.grievances.inbox',
    titleKey: 'grievances.titles.inbox',
    view: 'grievances/inbox',
    query: { type: 'object', additionalProperties: false, properties: { scope: { enum: ['mine', 'all'] } } },
    async load({ ctx, user, query }) {
      const [items, categories] = await Promise.all([inbox(ctx, user, query.scope), listCategories(ctx, true)]);
      return { items, categories, channels: CHANNELS.filter((c) => c !== 'online'), scope: query.scope ?? 'mine' };
    },
  }),

  page({
    name: 'grievances.statsPage',
    path: '/grievances/stats',
    access: G.grievancesOversee,
    navKey: 'union.grievances.stats',
    titleKey: 'grievances.titles.stats',
    view: 'grievances/stats',
    async load({ ctx, user, lang }) {
      const [stats, rectifications, overdue, unknown, departments, notice] = await Promise.all([
        grievanceStats(ctx, {}, user.scope),
        rectificationList(ctx, user.scope),
        overdueList(ctx, user.scope),
        unknownYears(ctx.db, ctx.today()),
        ctx.host.employees.departments(),
        routingNotice(ctx),
      ]);
      const deptName = new Map(departments.map((d) => [d.id, d.name]));
      const label = (c: string) => t(lang, `grievances.categories.${c}`);
      const [owners, candidates] = await Promise.all([
        ctx.host.employees.getMany(rectifications.map((r) => r.ownerId).filter((x): x is string => !!x)),
        ownerCandidates(ctx),
      ]);
      const ownerName = new Map([...owners, ...candidates].map((p) => [p.id, p.name]));
      return {
        routingNotice: notice && {
          categories: notice.categories.map(label).join('、'),
          chairSet: notice.chairSet,
        },
        byOrg: stats.byOrg,
        owners: candidates.map((p) => ({ id: p.id, name: p.name })),
        stats,
        avgDays: stats.averageHandlingDays ?? '—',
        byCategory: stats.byCategory.map((c) => ({ ...c, label: label(c.category) })),
        byDepartment: stats.byDepartment.map((d) => ({ ...d, name: deptName.get(d.departmentId ?? '') ?? '—' })),
        pie: stats.total ? categoryPie(stats.byCategory.map((c) => ({ label: label(c.category), count: c.count }))) : null,
        bars: stats.byMonth.length ? monthBars(stats.byMonth) : null,
        rectifications: rectifications.map((r) => ({
          ...r,
          department: deptName.get(r.departmentId) ?? '—',
          ownerName: r.ownerId ? (ownerName.get(r.ownerId) ?? '—') : null,
        })),
        overdue,
        unknownYears: unknown.join(', '),
      };
    },
  }),

  page<S.ById>({
    name: 'grievances.casePage',
    path: '/grievances/:id',
    access: 'signedIn',
    navKey: 'union.grievances',
    titleKey: 'grievances.titles.case',
    view: 'grievances/case',
    params: S.byId,
    async load({ ctx, user, params }) {
      const c = await viewCase(ctx, user, Number(params.id));
      // The staff of a joint sheet's current step see their step and the case's content, and may only answer.
      if ('jointStep' in c) {
        const dept = (await ctx.host.employees.departments()).find((d) => d.id === c.jointStep.departmentId);
        return { joint: { ...c, department: dept?.name ?? '—' } };
      }
      const can = (a: string) => c.actions.includes(a);
      return {
        c,
        act: {
          route: can('route'),
          update: can('update'),
          requestInfo: can('request_info'),
          supply: can('supply'),
          resolve: can('resolve'),
          followUp: can('follow_up'),
          reassign: can('reassign'),
          addEvidence: !c.locked && c.files.length < MAX_FILES,
        },
        paths: PATHS,
        outcomes: OUTCOMES,
        evaluations: EVALUATIONS,
      };
    },
  }),
];
