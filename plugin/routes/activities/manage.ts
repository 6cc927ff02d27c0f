import { action } from '../../areas/types';
import { cancelActivity, createActivity, publishActivity, updateActivity, type ActivityInput } from '../../services/activities/activities';
import { AP } from './permissions';
import { activityBody, cancelBody, idParams } from './schemas';

type Id = { id: string };

/** Staff create, edit, publish and cancel activities. */
export const manageEndpoints = [
  action<Record<string, string>, ActivityInput>({
    name: 'activities.create',
    method: 'post',
    api: '/api/activities',
    access: AP.activitiesManage,
    body: activityBody,
    run: ({ ctx, actor, body }) => createActivity(ctx, actor, body),
    json: (out) => ({ status: 201, body: out }),
  }),

  action<Id, ActivityInput>({
    name: 'activities.update',
    method: 'put',
    api: '/api/activities/:id',
    access: AP.activitiesManage,
    params: idParams,
    body: activityBody,
    run: ({ ctx, actor, params, body }) => updateActivity(ctx, actor, Number(params.id), body),
  }),

  action<Id>({
    name: 'activities.publish',
    method: 'post',
    api: '/api/activities/:id/publish',
    access: AP.activitiesManage,
    params: idParams,
    run: ({ ctx, actor, params }) => publishActivity(ctx, actor, Number(params.id)),
  }),

  action<Id, { reason: string }>({
    name: 'activities.cancel',
    method: 'post',
    api: '/api/activities/:id/cancel',
    access: AP.activitiesManage,
    params: idParams,
    body: cancelBody,
    run: ({ ctx, actor, params, body }) => cancelActivity(ctx, actor, Number(params.id), body.reason),
  }),
];
