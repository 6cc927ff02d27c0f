/**
 * Hardship assistance's permissions, spelled once (the care area declares them with its own). Keys are
 * what templates see as `can.<key>`; values are manifest ids.
 */
export const AssistancePermissions = {
  assistanceApply: 'union.assistance.apply',
  assistanceHandle: 'union.assistance.handle',
  assistanceOversee: 'union.assistance.oversee',
} as const;

export const A = AssistancePermissions;
