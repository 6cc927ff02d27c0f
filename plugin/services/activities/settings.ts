import type { Ctx } from '../../context';
import { t, type Lang } from '../../i18n';

/**
 * An activity type as the settings configure it: one of the built-in codes (named by the i18n files),
 * or a code of the union's own with its name in both languages (`{ code, label: { "zh-CN", en } }`).
 */
export type TypeSetting = string | { code: string; label: Record<Lang, string> };

export interface ActivitySettings {
  /** promote: the first waiting person gets a freed place; offer: they must confirm it within offerHours. */
  waitlistMode: 'promote' | 'offer';
  offerHours: number;
  reminderHours: number;
  types: TypeSetting[];
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

const codeOf = (s: TypeSetting) => (typeof s === 'string' ? s : s.code);

/** The codes staff may choose from, in the configured order. */
export function typeCodes(ctx: Ctx): string[] {
  return activitySettings(ctx).types.map(codeOf);
}

/**
 * A type's name in `lang`: the configured label, else the built-in name; a code no longer configured
 * (an old activity's) reads as 其他 rather than as its code.
 */
export function typeLabel(ctx: Ctx, lang: Lang, code: string): string {
  const configured = activitySettings(ctx).types.find((s) => typeof s !== 'string' && s.code === code);
  if (configured && typeof configured !== 'string') return configured.label[lang];
  const key = `activities.types.${code}`;
  const text = t(lang, key);
  return text === key ? t(lang, 'activities.types.other') : text;
}

/** The choices of the staff form: every configured type with its name. */
export function typeChoices(ctx: Ctx, lang: Lang): Array<{ value: string; label: string }> {
  return typeCodes(ctx).map((value) => ({ value, label: typeLabel(ctx, lang, value) }));
}

/** Adds `typeLabel` to anything that carries a type, for the pages. */
export function labelled<T extends { type: string }>(ctx: Ctx, lang: Lang, items: T[]): Array<T & { typeLabel: string }> {
  return items.map((x) => ({ ...x, typeLabel: typeLabel(ctx, lang, x.type) }));
}
