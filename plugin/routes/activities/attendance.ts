import type { Request } from 'express';
import { action, page } from '../../areas/types';
import {
  checkIn,
  checkInAtVenue,
  checkInByPersonalCode,
  personalCode,
  personOfCode,
  qrDataUrl,
  venueCode,
} from '../../services/activities/checkin';
import { submitFeedback } from '../../services/activities/feedback';
import { getActivity } from '../../services/activities/activities';
import { myRegistration } from '../../services/activities/registrations';
import { AP } from './permissions';
import { feedbackBody, feedbackFormBody, idParams, staffCheckinBody, tokenBody, tokenQuery } from './schemas';
import { backWithReason } from './form-errors';

type Id = { id: string };

/** Codes are opened by a phone camera, so their links are absolute, on the address the caller used. */
const origin = (req: Request) => `${req.protocol}://${req.get('host')}`;
const detail = (id: string) => `/union/activities/${id}`;
const rosterPath = (id: string) => `/union/activities/manage/${id}/roster`;

/** 签到 and 评价: by staff from the roster or a scanned personal code, by the employee with the venue's code; feedback afterwards. */
export const attendanceEndpoints = [
  action<Id, { employeeId?: string; token?: string }>({
    name: 'activities.staffCheckin',
    method: 'post',
    api: '/api/activities/:id/checkins',
    form: '/activities/manage/:id/checkins',
    access: AP.activitiesManage,
    params: idParams,
    body: staffCheckinBody,
    run: ({ ctx, actor, params, body }) =>
      body.token
        ? checkInByPersonalCode(ctx, actor, Number(params.id), body.token)
        : checkIn(ctx, actor, Number(params.id), body.employeeId!, 'roster'),
    redirect: (_out, { params }) => ({ to: rosterPath(params.id), flash: 'activities.flash.checkedIn' }),
    formError: (err, { params }) => backWithReason(rosterPath(params.id))(err),
  }),

  action<Id, { token: string }>({
    name: 'activities.venueCheckin',
    method: 'post',
    api: '/api/activities/:id/checkin',
    form: '/activities/:id/checkin',
    access: AP.activitiesJoin,
    params: idParams,
    body: tokenBody,
    run: ({ ctx, actor, user, params, body }) => checkInAtVenue(ctx, actor, Number(params.id), user.id, body.token),
    redirect: (_out, { params }) => ({ to: detail(params.id), flash: 'activities.flash.checkedIn' }),
    formError: (err, { params }) => backWithReason(detail(params.id))(err),
  }),

  action<Id>({
    name: 'activities.venueCode',
    method: 'get',
    api: '/api/activities/:id/venue-code',
    access: AP.activitiesManage,
    params: idParams,
    async run({ ctx, params, req }) {
      const token = await venueCode(ctx, Number(params.id));
      const url = `${origin(req)}/union/activities/${params.id}/checkin?t=${token}`;
      return { token, url, qr: await qrDataUrl(url) };
    },
  }),

  action<Id>({
    name: 'activities.myCode',
    method: 'get',
    api: '/api/activities/:id/my-code',
    access: AP.activitiesJoin,
    params: idParams,
    async run({ ctx, params, user, req }) {
      const token = await personalCode(ctx, Number(params.id), user.id);
      const url = `${origin(req)}/union/activities/manage/${params.id}/scan?t=${token}`;
      return { token, url, qr: await qrDataUrl(url) };
    },
  }),

  action<Id, { score: number; suggestion?: string }>({
    name: 'activities.feedback',
    method: 'post',
    api: '/api/activities/:id/feedback',
    access: AP.activitiesJoin,
    params: idParams,
    body: feedbackBody,
    run: ({ ctx, actor, user, params, body }) => submitFeedback(ctx, actor, Number(params.id), user.id, body),
    json: (out) => ({ status: 201, body: out }),
  }),

  action<Id, { score: string; suggestion?: string }>({
    name: 'activities.feedbackForm',
    method: 'post',
    form: '/activities/:id/feedback',
    access: AP.activitiesJoin,
    params: idParams,
    body: feedbackFormBody,
    run: ({ ctx, actor, user, params, body }) =>
      submitFeedback(ctx, actor, Number(params.id), user.id, { score: Number(body.score), suggestion: body.suggestion }),
    redirect: (_out, { params }) => ({ to: detail(params.id), flash: 'activities.flash.feedback' }),
    formError: (err, { params }) => backWithReason(detail(params.id))(err),
  }),

  // The page the venue's QR code opens: one button, so that opening a link never checks anyone in by itself.
  page<Id, { t: string }>({
    name: 'activities.venueCheckinPage',
    path: '/activities/:id/checkin',
    access: AP.activitiesJoin,
    navKey: 'union.activities',
    titleKey: 'activities.titles.checkin',
    view: 'activities/checkin',
    params: idParams,
    query: tokenQuery,
    async load({ ctx, params, query, user }) {
      const activity = await getActivity(ctx, Number(params.id));
      const mine = await myRegistration(ctx, Number(params.id), user.id).catch(() => null);
      return { activity, mine, token: query.t };
    },
  }),

  // The page a staff phone opens when it scans a person's code: who it is, and a button.
  page<Id, { t: string }>({
    name: 'activities.scanPage',
    path: '/activities/manage/:id/scan',
    access: AP.activitiesManage,
    navKey: 'union.activitiesManage',
    titleKey: 'activities.titles.checkin',
    view: 'activities/scan',
    params: idParams,
    query: tokenQuery,
    async load({ ctx, params, query }) {
      const activity = await getActivity(ctx, Number(params.id));
      const employeeId = await personOfCode(ctx, Number(params.id), query.t);
      const person = employeeId ? await ctx.host.employees.get(employeeId) : null;
      const mine = employeeId ? await myRegistration(ctx, Number(params.id), employeeId).catch(() => null) : null;
      return { activity, person, employeeId, mine, token: query.t, valid: !!employeeId };
    },
  }),
];
