import { addColumn } from './lib/helpers';

// The evidence of a consent given on paper (the form's reference), kept beside its date in consent_at.
export const { up, down } = addColumn('union_memberships', 'consent_ref', (t) => t.string('consent_ref', 100).nullable());
