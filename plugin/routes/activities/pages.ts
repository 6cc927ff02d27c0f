import { page } from '../../areas/types';
import { activityForEmployee, allActivities, openActivities } from '../../services/activities/listing';
import { personalCode, qrDataUrl } from '../../services/activities/checkin';
import { hasPoster } from '../../services/activities/poster';
import { labelled, typeLabel } from '../../services/activities/settings';
import { AP } from './permissions';
import { idParams } from './schemas';

/** The employee's pages: open activities, and one activity with sign-up, cancel and the personal QR. */
export const employeePages = [
  page({
    name: 'activities.list',
    path: '/activities',
    access: AP.activitiesJoin,
    navKey: 'union.activities',
    titleKey: 'activities.titles.list',
    view: 'activities/list',
    async load({ ctx, user, lang }) {
      return { activities: labelled(ctx, lang, await openActivities(ctx, user.id)) };
    },
  }),
];

export const employeeDetailPages = [
  page<{ id: string }>({
    name: 'activities.detail',
    path: '/activities/:id',
    access: AP.activitiesJoin,
    navKey: 'union.activities',
    titleKey: 'activities.titles.detail',
    view: 'activities/detail',
    params: idParams,
    async load({ ctx, user, params, req, lang }) {
      const view = await activityForEmployee(ctx, Number(params.id), user.id);
      const now = ctx.now().getTime();
      // The personal code opens the staff's scan page on whichever phone reads it.
      const myQr =
        view.mine?.status === 'registered'
          ? await qrDataUrl(
              `${req.protocol}://${req.get('host')}/union/activities/manage/${params.id}/scan?t=${await personalCode(ctx, Number(params.id), user.id)}`,
            )
          : null;
      return {
        ...view,
        typeLabel: typeLabel(ctx, lang, view.activity.type),
        myQr,
        poster: await hasPoster(ctx, Number(params.id)),
        canGiveFeedback: view.mine?.status === 'attended' && !view.mine.feedback,
        canRegister: view.activity.status === 'published' && now < new Date(view.activity.registrationDeadline).getTime(),
        full: view.activity.placesLeft === 0,
      };
    },
  }),
];

export const staffListPages = [
  page({
    name: 'activities.manage',
    path: '/activities/manage',
    access: AP.activitiesManage,
    navKey: 'union.activitiesManage',
    titleKey: 'activities.titles.manage',
    view: 'activities/manage',
    async load({ ctx, lang }) {
      return { activities: labelled(ctx, lang, await allActivities(ctx)) };
    },
  }),
];
