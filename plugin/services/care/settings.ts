import type { Ctx } from '../../context';

export const GROUP_CODES = ['new_hire', 'shift_worker', 'female', 'expatriate', 'hardship', 'near_retirement'] as const;
export type GroupCode = (typeof GROUP_CODES)[number];

/** The care area's settings (manifest.json settings.care), with the manifest's defaults already filled in. */
export interface CareSettings {
  newHireMonths: number;
  nearRetirementMonths: number;
  /** A woman's retirement category when HR gives none; worker (50) by default, so nobody near retirement is missed. */
  femaleRetirementCategory: 'worker' | 'cadre';
  /** Each group's typical services as the union words them; a group without text shows the module's default. */
  groupServices: Partial<Record<GroupCode, string>>;
  /** Employee ids of the staff who receive the monthly welfare gap report. */
  reportTo: string[];
  maxPerPaymentCents?: number;
  maxPerPersonYearCents?: number;
  /** Per occasion of per-occurrence plans: payments per person per calendar year, and the most one payment may be. */
  occasionLimits: Partial<Record<string, { perYear?: number; maxPerPaymentCents?: number }>>;
}

const DEFAULTS: CareSettings = {
  newHireMonths: 6,
  nearRetirementMonths: 12,
  femaleRetirementCategory: 'worker',
  groupServices: {},
  reportTo: [],
  occasionLimits: {},
};

/** Settings are validated by resolveSettings; this only types the area's part of them. */
export function careSettings(ctx: Ctx): CareSettings {
  const s = (ctx.settings as unknown as { care?: Partial<CareSettings> }).care ?? {};
  return { ...DEFAULTS, ...s };
}
