/** The congress area's permissions, spelled once. Keys are what templates see as `can.<key>`; values are manifest ids. */
export const CongressPermissions = {
  /** Read sessions' public results and the motions with their answers. */
  congressView: 'union.congress.view',
  /** Vote and submit or second motions; whether the person is a delegate is decided per session (403 otherwise). */
  congressTakePart: 'union.congress.participate',
  /** Prepare a session: delegates by election result, the matters list and its steps, paper answers. */
  congressPrepare: 'union.congress.prepare',
  /** Run a session: create it, record attendance, open and close votes, the motions committee's decisions. */
  congressManage: 'union.congress.manage',
} as const;

export const C = CongressPermissions;
