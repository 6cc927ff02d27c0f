import { addColumn } from './lib/helpers';

// A running ledger import's heartbeat, beaten every few seconds by the instance that runs it (whose id is
// in `worker`), so that a restarted instance sees at once that an import's runner died: no waiting
// five minutes for progress reports that will never come.
export const { up, down } = addColumn('union_imports', 'heartbeat_at', (t) => t.specificType('heartbeat_at', 'datetime(3)').nullable());
