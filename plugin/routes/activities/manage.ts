import { action } from '../../areas/types';
import { cancelActivity, createActivity, publishActivity, updateActivity, type ActivityInput } from '../../services/activities/activities';
import { AP } from './permissions';
import { activityBody, cancelBody, idParams } from './schemas';
import { backWithReason } from './form-errors';

const editPath = (id: string) => `/union/activities/manage/${id}`;

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

  action<Id, unknown, unknown, { notified: number }>({
    name: 'activities.publish',
    method: 'post',
    api: '/api/activities/:id/publish',
    access: AP.activitiesManage,
    params: idParams,
    form: '/activities/manage/:id/publish',
    run: ({ ctx, actor, params }) => publishActivity(ctx, actor, Number(params.id)),
    redirect: (out, { params }) => ({ to: editPath(params.id), flash: 'activities.flash.published', vars: { notified: out.notified } }),
    formError: (err, { params }) => backWithReason(editPath(params.id))(err),
  }),

  action<Id, { reason: string }, unknown, { notified: number }>({
    name: 'activities.cancel',
    method: 'post',
    api: '/api/activities/:id/cancel',
    access: AP.activitiesManage,
    params: idParams,
    body: cancelBody,
    form: '/activities/manage/:id/cancel',
    run: ({ ctx, actor, params, body }) => cancelActivity(ctx, actor, Number(params.id), body.reason),
    redirect: (out, { params }) => ({
      to: editPath(params.id),
      flash: 'activities.flash.activityCancelled',
      vars: { notified: out.notified },
    }),
    formError: (err, { params }) => backWithReason(editPath(params.id))(err),
  }),
];
