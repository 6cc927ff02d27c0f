import { addColumn } from './lib/helpers';

// Why staff cancelled an activity, shown to the people who had signed up (their registrations say activity_cancelled).
export const { up, down } = addColumn('union_activities', 'cancel_reason', (t) => t.string('cancel_reason', 200).nullable());
