import { UnionError } from '../../errors';
import type { FormFallback } from '../../areas/types';

/** A refused form post goes back to the page it came from, with the reason as a flash in the page's language. */
export function backWithReason(to: string) {
  return (err: unknown): FormFallback | null => {
    if (!(err instanceof UnionError) || err.status >= 500) return null;
    const key =
      err.code === 'deadline_passed'
        ? 'deadlinePassed'
        : err.status === 409
          ? 'conflict'
          : err.status === 403
            ? 'notForYou'
            : err.status === 400
              ? 'invalid'
              : 'refused';
    return { to, flash: `activities.flash.${key}`, kind: 'error' };
  };
}
