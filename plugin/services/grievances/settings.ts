import type { Ctx } from '../../context';

export interface GrievanceSettings {
  /** Cases of one category from one department in a quarter that put it on the rectification list. */
  repeatThreshold: number;
  /** The chair's employee id: the last fallback for routing and escalation when the host cannot list people by role. */
  chairId?: string;
}

/** The `grievances` block of the module's settings (manifest.settings), with its defaults. */
export function grievanceSettings(ctx: Ctx): GrievanceSettings {
  const own = (ctx.settings as unknown as { grievances?: Partial<GrievanceSettings> }).grievances ?? {};
  return { repeatThreshold: own.repeatThreshold ?? 3, chairId: own.chairId };
}
