import type { Ctx } from '../../context';
import { sendNotice } from '../notices';
import { audienceIds, audienceOf } from './audience';
import type { ActivityView } from './presenter';

/** 'YYYY-MM-DD HH:mm' in the module's timezone, as people read times in a notice. */
export function localTime(ctx: Ctx, iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ctx.settings.timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const vars = (ctx: Ctx, a: Pick<ActivityView, 'title' | 'startAt' | 'location'>) => ({
  title: a.title,
  startAt: localTime(ctx, a.startAt),
  location: a.location,
});

const link = (id: number) => `/union/activities/${id}`;

/** Publishing tells the whole audience, in batches of NOTICE_BATCH. */
export async function notifyPublished(ctx: Ctx, a: ActivityView): Promise<number> {
  const to = await audienceIds(ctx, audienceOf({ audience_kind: a.audience.kind, audience_ids: JSON.stringify(a.audience.ids) }));
  return sendNotice(ctx, {
    to,
    template: 'union.activity.published',
    key: 'activities.notices.published',
    vars: vars(ctx, a),
    link: link(a.id),
  });
}

export async function notifyCancelled(ctx: Ctx, a: ActivityView, to: string[], reason: string): Promise<number> {
  return sendNotice(ctx, {
    to,
    template: 'union.activity.cancelled',
    key: 'activities.notices.cancelled',
    vars: { ...vars(ctx, a), reason },
    link: link(a.id),
  });
}

export interface PlaceChange {
  activityId: number;
  employeeId: string;
  /** registered: promoted from the waitlist; offered: must confirm before `expiresAt`. */
  kind: 'registered' | 'offered';
  title: string;
  startAt: string;
  location: string;
  expiresAt?: string;
}

/** Tells each person promoted or offered a place (after the commit that gave it). */
export async function notifyPlaces(ctx: Ctx, changes: PlaceChange[]): Promise<void> {
  for (const c of changes) {
    await sendNotice(ctx, {
      to: [c.employeeId],
      template: c.kind === 'registered' ? 'union.activity.promoted' : 'union.activity.offered',
      key: c.kind === 'registered' ? 'activities.notices.promoted' : 'activities.notices.offered',
      vars: { ...vars(ctx, c), ...(c.expiresAt ? { expiresAt: localTime(ctx, c.expiresAt) } : {}) },
      link: link(c.activityId),
    });
  }
}

export async function notifyReminder(ctx: Ctx, a: { id: number; title: string; startAt: string; location: string }, to: string[]) {
  return sendNotice(ctx, {
    to,
    template: 'union.activity.reminder',
    key: 'activities.notices.reminder',
    vars: vars(ctx, a),
    link: link(a.id),
  });
}

export async function notifyExtra(ctx: Ctx, a: ActivityView, to: string[], message: string) {
  return sendNotice(ctx, {
    to,
    template: 'union.activity.notice',
    key: 'activities.notices.extra',
    vars: { ...vars(ctx, a), message },
    link: link(a.id),
  });
}
