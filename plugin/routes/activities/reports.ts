import { action } from '../../areas/types';
import { activityStats } from '../../services/activities/stats';
import { exportRoster, roster } from '../../services/activities/roster';
import { notifyRegistered } from '../../services/activities/activities';
import { t } from '../../i18n';
import { AP } from './permissions';
import { idParams, noticeBody } from './schemas';
import { backWithReason } from './form-errors';

type Id = { id: string };
const rosterPath = (id: string) => `/union/activities/manage/${id}/roster`;

/** Staff read an activity: statistics, the roster (JSON and xlsx), and send an extra notice to those registered. */
export const reportEndpoints = [
  action<Id>({
    name: 'activities.stats',
    method: 'get',
    api: '/api/activities/:id/stats',
    access: AP.activitiesManage,
    params: idParams,
    run: ({ ctx, params }) => activityStats(ctx, Number(params.id)),
  }),

  action<Id>({
    name: 'activities.roster',
    method: 'get',
    api: '/api/activities/:id/roster',
    access: AP.activitiesManage,
    params: idParams,
    run: ({ ctx, params }) => roster(ctx, Number(params.id)),
  }),

  action<Id>({
    name: 'activities.rosterExport',
    method: 'get',
    api: '/api/activities/:id/roster.xlsx',
    access: AP.activitiesManage,
    params: idParams,
    stream: true,
    async run({ ctx, lang, params, res }) {
      const name = encodeURIComponent(`${t(lang, 'activities.roster.filename')}-${params.id}-${ctx.today()}.xlsx`);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await exportRoster(ctx, Number(params.id), lang, res);
    },
  }),

  action<Id, { message: string }, unknown, { notified: number }>({
    name: 'activities.notice',
    method: 'post',
    api: '/api/activities/:id/notices',
    form: '/activities/manage/:id/notices',
    access: AP.activitiesManage,
    params: idParams,
    body: noticeBody,
    run: ({ ctx, actor, params, body }) => notifyRegistered(ctx, actor, Number(params.id), body.message),
    redirect: (out, { params }) => ({ to: rosterPath(params.id), flash: 'activities.flash.noticeSent', vars: { notified: out.notified } }),
    formError: (err, { params }) => backWithReason(rosterPath(params.id))(err),
  }),
];
