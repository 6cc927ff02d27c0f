/**
 * Masks an ID number (身份证号) for exports. Only the two Chinese lengths (15 and 18) keep their first 6
 * (the region) and last 4; anything shorter (a passport, a typo, a Hong Kong ID) would show most of
 * itself that way, so it is masked whole.
 */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return '';
  const s = id.trim();
  if (s.length < 15) return '*'.repeat(s.length);
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}
