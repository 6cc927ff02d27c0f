import type { Ctx } from '../../context';

export interface ActivitySettings {
  /** promote: the first waiting person gets a freed place; offer: they must confirm it within offerHours. */
  waitlistMode: 'promote' | 'offer';
  offerHours: number;
  reminderHours: number;
  types: string[];
}

const DEFAULTS: ActivitySettings = {
  waitlistMode: 'promote',
  offerHours: 24,
  reminderHours: 24,
  types: ['sports', 'lecture', 'training', 'outdoor', 'family', 'recuperation', 'other'],
};

/** The area's settings as manifest.settings.activities resolved them (defaults when the host stores none). */
export function activitySettings(ctx: Ctx): ActivitySettings {
  const s = (ctx.settings as unknown as { activities?: Partial<ActivitySettings> }).activities ?? {};
  return { ...DEFAULTS, ...s };
}
