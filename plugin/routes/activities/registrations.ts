import { action } from '../../areas/types';
import { cancelMine, confirmOffer, myRegistration, register, type RegisterOutcome } from '../../services/activities/registrations';
import { AP } from './permissions';
import { idParams, registerBody, registerFormBody } from './schemas';
import { backWithReason } from './form-errors';

const detail = (id: string) => `/union/activities/${id}`;

type Id = { id: string };

/** The caller's own registration: sign up, look, cancel, confirm an offered place. */
export const registrationEndpoints = [
  action<Id, { options?: number[] }, unknown, RegisterOutcome>({
    name: 'activities.register',
    method: 'post',
    api: '/api/activities/:id/registrations',
    access: AP.activitiesJoin,
    params: idParams,
    body: registerBody,
    run: ({ ctx, actor, user, params, body }) => register(ctx, actor, Number(params.id), user.id, body.options),
    json: (out) => (out.status === 'registered' ? { status: 201, body: { status: out.status } } : { status: 200, body: out }),
  }),

  // The same sign-up from the page's form: checkboxes send option ids as strings.
  action<Id, { options?: string | string[] }, unknown, RegisterOutcome>({
    name: 'activities.registerForm',
    method: 'post',
    form: '/activities/:id/register',
    access: AP.activitiesJoin,
    params: idParams,
    body: registerFormBody,
    run: ({ ctx, actor, user, params, body }) =>
      register(ctx, actor, Number(params.id), user.id, body.options === undefined ? undefined : [body.options].flat().map(Number)),
    redirect: (out, { params }) =>
      out.status === 'registered'
        ? { to: detail(params.id), flash: 'activities.flash.registered' }
        : { to: detail(params.id), flash: 'activities.flash.waitlisted', vars: { position: out.position } },
    formError: (err, { params }) => backWithReason(detail(params.id))(err),
  }),

  action<Id>({
    name: 'activities.myRegistration',
    method: 'get',
    api: '/api/activities/:id/registrations/me',
    access: AP.activitiesJoin,
    params: idParams,
    run: ({ ctx, user, params }) => myRegistration(ctx, Number(params.id), user.id),
  }),

  action<Id>({
    name: 'activities.unregister',
    method: 'delete',
    api: '/api/activities/:id/registrations/me',
    access: AP.activitiesJoin,
    params: idParams,
    form: '/activities/:id/unregister',
    run: ({ ctx, actor, user, params }) => cancelMine(ctx, actor, Number(params.id), user.id),
    redirect: (_out, { params }) => ({ to: detail(params.id), flash: 'activities.flash.cancelled' }),
    formError: (err, { params }) => backWithReason(detail(params.id))(err),
  }),

  action<Id>({
    name: 'activities.confirmOffer',
    method: 'post',
    api: '/api/activities/:id/registrations/me/confirm',
    access: AP.activitiesJoin,
    params: idParams,
    form: '/activities/:id/confirm',
    run: ({ ctx, actor, user, params }) => confirmOffer(ctx, actor, Number(params.id), user.id),
    redirect: (_out, { params }) => ({ to: detail(params.id), flash: 'activities.flash.confirmed' }),
    formError: (err, { params }) => backWithReason(detail(params.id))(err),
  }),
];
