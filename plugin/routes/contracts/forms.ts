import { UnionError } from '../../errors';
import type { FormFallback } from '../../areas/types';

/** Flash keys for the fields a refusal names, so staff read what to fix in their language. */
const BY_FIELD: Record<string, string> = {
  evidence: 'needEvidence',
  'body.on': 'badDay',
  'body.note': 'needNote',
  'body.to': 'needTo',
  'body.dataReceivedOn': 'needData',
  'body.result': 'needResult',
  file: 'badFile',
};

/** A refused form post goes back to the page it came from with the reason as a flash; anything else is the error page. */
export function backWithReason(to: string) {
  return (err: unknown): FormFallback | null => {
    if (!(err instanceof UnionError) || err.status >= 500 || err.status === 403 || err.status === 404) return null;
    const field = err.details[0]?.path ?? '';
    const key = BY_FIELD[field] ?? (err.status === 409 ? 'conflict' : 'invalid');
    return { to, flash: `contracts.flash.${key}`, kind: 'error' };
  };
}
