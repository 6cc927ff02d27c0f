import type { Request } from 'express';
import { action, page, type Call } from '../../areas/types';
import { createActivity, getActivity, updateActivity } from '../../services/activities/activities';
import { fromForm, toForm, type ActivityForm } from '../../services/activities/form';
import { typeChoices } from '../../services/activities/settings';
import { roster } from '../../services/activities/roster';
import { SERVICE_GROUPS } from '../../services/care/audience-seam';
import { waitlistedCount } from '../../services/activities/listing';
import { POSTER_MAX_BYTES, posterVersion } from '../../services/activities/poster';
import { activityStats } from '../../services/activities/stats';
import { qrDataUrl, venueCode } from '../../services/activities/checkin';
import { barChartSvg } from '../../services/activities/charts';
import { UnionError } from '../../errors';
import { t } from '../../i18n';
import { AP } from './permissions';
import { activityFormBody, idParams } from './schemas';

type Id = { id: string };
const editPath = (id: number | string) => `/union/activities/manage/${id}`;

/** The form's lists; `ticked` are the service groups the form has chosen. */
function formChoices(call: Pick<Call, 'ctx' | 'lang'>, ticked: string | string[] = []) {
  const chosen = [ticked].flat();
  return {
    types: typeChoices(call.ctx, call.lang),
    audiences: ['members', 'orgs', 'departments', 'groups', 'employed'].map((v) => ({
      value: v,
      label: t(call.lang, `activities.audience.${v}`),
    })),
    groups: SERVICE_GROUPS.map((v) => ({ value: v, label: t(call.lang, `care.groups.${v}.name`), checked: chosen.includes(v) })),
  };
}

const DEFAULT_FORM: Partial<ActivityForm> = { type: 'sports', audienceKind: 'members' };

export const newPage = page({
  name: 'activities.new',
  path: '/activities/manage/new',
  access: AP.activitiesManage,
  navKey: 'union.activitiesManage',
  titleKey: 'activities.titles.new',
  view: 'activities/edit',
  async load(call) {
    return { form: DEFAULT_FORM, action: '/union/activities/manage/new', ...formChoices(call) };
  },
});

export const editPage = page<Id>({
  name: 'activities.edit',
  path: '/activities/manage/:id',
  access: AP.activitiesManage,
  navKey: 'union.activitiesManage',
  titleKey: 'activities.titles.edit',
  view: 'activities/edit',
  params: idParams,
  async load(call) {
    const activity = await getActivity(call.ctx, Number(call.params.id));
    return {
      activity,
      form: toForm(activity, call.ctx.settings.timezone),
      action: editPath(activity.id),
      waitlisted: await waitlistedCount(call.ctx, activity.id),
      posterVersion: await posterVersion(call.ctx, activity.id),
      posterMaxMb: POSTER_MAX_BYTES / 1024 / 1024,
      ...formChoices(call, activity.audience.kind === 'groups' ? activity.audience.ids : []),
    };
  },
});

/** A refused form is shown again with what was typed and the fields at fault. */
function showAgain(p: typeof newPage | typeof editPage) {
  return (err: unknown, call: Call<Id, ActivityForm>) =>
    err instanceof UnionError && err.status === 400
      ? { page: p, extra: { form: call.body, errors: err.details, ...formChoices(call, call.body.audienceGroups) }, status: 400 }
      : null;
}

const origin = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** Staff pages: the create/edit form, the roster with check-in, the venue code and notices, and the statistics. */
export const staffPages = [
  action<Record<string, string>, ActivityForm>({
    name: 'activities.createForm',
    method: 'post',
    form: '/activities/manage/new',
    access: AP.activitiesManage,
    body: activityFormBody,
    run: ({ ctx, actor, body }) => createActivity(ctx, actor, fromForm(body, ctx.settings.timezone)),
    redirect: (out) => ({ to: editPath((out as { id: number }).id), flash: 'activities.flash.saved' }),
    formError: (err, call) => showAgain(newPage)(err, call as never),
  }),
  newPage,
  action<Id, ActivityForm>({
    name: 'activities.updateForm',
    method: 'post',
    form: '/activities/manage/:id',
    access: AP.activitiesManage,
    params: idParams,
    body: activityFormBody,
    run: ({ ctx, actor, params, body }) => updateActivity(ctx, actor, Number(params.id), fromForm(body, ctx.settings.timezone)),
    redirect: (_out, { params }) => ({ to: editPath(params.id), flash: 'activities.flash.saved' }),
    formError: (err, call) => showAgain(editPage)(err, call),
  }),
  editPage,
  page<Id>({
    name: 'activities.rosterPage',
    path: '/activities/manage/:id/roster',
    access: AP.activitiesManage,
    navKey: 'union.activitiesManage',
    titleKey: 'activities.titles.roster',
    view: 'activities/roster',
    params: idParams,
    async load({ ctx, params, req }) {
      const id = Number(params.id);
      const r = await roster(ctx, id);
      const venueUrl = `${origin(req)}/union/activities/${id}/checkin?t=${await venueCode(ctx, id)}`;
      return { ...r, venueQr: await qrDataUrl(venueUrl), venueUrl };
    },
  }),
  page<Id>({
    name: 'activities.statsPage',
    path: '/activities/manage/:id/stats',
    access: AP.activitiesManage,
    navKey: 'union.activitiesManage',
    titleKey: 'activities.titles.stats',
    view: 'activities/stats',
    params: idParams,
    async load({ ctx, params, lang }) {
      const s = await activityStats(ctx, Number(params.id));
      const counts = barChartSvg(
        ['registered', 'attended', 'waitlisted', 'noShows'].map((k) => t(lang, `activities.stats.${k}`)),
        [s.registered, s.attended, s.waitlisted, s.noShows ?? 0],
      );
      const scores = barChartSvg(
        s.distribution.map((d) => `${d.score}★`),
        s.distribution.map((d) => d.count),
        undefined,
        '#e67e22',
      );
      return { stats: s, counts, scores };
    },
  }),
];
