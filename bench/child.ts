/** Runs one scenario (or one of its helpers) in its own process, for clean memory figures, and hands back the result. */
import type { ScenarioResult } from './scenarios/types';

const name = process.argv[2];
const fn = process.argv[3] ?? 'run';

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`./scenarios/${name}`) as Record<string, () => Promise<ScenarioResult>>;
  const result = await mod[fn]();
  if (process.send) await new Promise<void>((resolve) => process.send!({ ok: true, result }, () => resolve()));
  else console.log(JSON.stringify(result, null, 2));
}

main()
  .then(() => process.exit(0))
  .catch(async (err) => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    if (process.send) await new Promise<void>((resolve) => process.send!({ ok: false, error: message }, () => resolve()));
    else console.error(message);
    process.exit(1);
  });
