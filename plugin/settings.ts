import { ajv, toDetails } from './schemas/ajv';
import { ConfigError } from './errors';
import { isValidTimezone } from './lib/time';
import type { Manifest } from './manifest';

export type UnionRole = 'union.member' | 'union.staff' | 'union.chair' | 'union.admin';

export interface Settings {
  locale: 'zh-CN' | 'en';
  timezone: string;
  onHire: 'activate' | 'invite';
  memberNoPattern: string;
  webhookSecret?: string;
  webhookToleranceSec: number;
  retirementReasons: string[];
  /** Host role -> union roles; the key '*' applies to every signed-in user. */
  roleMapping: Record<string, UnionRole[]>;
  /** Days between an invitation (or its last reminder) and the next reminder. */
  reminderWaitDays?: number;
  jobs: { enabled: boolean; reconcileCron?: string; leaseSeconds: number };
}

/** Validates the host-provided settings against manifest.settings and fills in defaults. */
export function resolveSettings(manifest: Manifest, input: Record<string, unknown>): Settings {
  const validate = ajv.compile(manifest.settings);
  const copy = structuredClone(input ?? {});
  if (!validate(copy)) throw new ConfigError('union settings are invalid', toDetails(validate.errors, 'settings'));
  const s = copy as unknown as Settings;
  if (!isValidTimezone(s.timezone)) {
    throw new ConfigError('union settings are invalid', [{ path: 'settings.timezone', message: `is not a known timezone: ${s.timezone}` }]);
  }
  return s;
}
