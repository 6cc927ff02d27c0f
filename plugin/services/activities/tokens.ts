import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Ctx } from '../../context';
import { instanceSecret } from '../install-info';

/**
 * Signed check-in codes (Ed25519). The key pair is derived from a 32-byte seed kept in the module's
 * instance secrets, so every instance signs and verifies alike and nothing is kept in process memory
 * that another instance would need. A code is `<payload>.<signature>`, both base64url.
 */
export type CheckinClaim =
  /** The venue's code: anyone registered may check themselves in with it during the event window. */
  | { k: 'venue'; a: number; nbf: number; exp: number }
  /** A person's own code for one activity, which staff scan. */
  | { k: 'person'; a: number; e: string };

// PKCS#8 header of an Ed25519 private key, followed by the 32-byte seed.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

async function keys(ctx: Ctx): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  const seed = Buffer.from(await instanceSecret(ctx, 'activities.checkin_seed'), 'base64url');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export async function signClaim(ctx: Ctx, claim: CheckinClaim): Promise<string> {
  const payload = Buffer.from(JSON.stringify(claim)).toString('base64url');
  const sig = sign(null, Buffer.from(payload), (await keys(ctx)).privateKey).toString('base64url');
  return `${payload}.${sig}`;
}

/** The claim of a well-signed code, or null: a forged, altered or malformed code says nothing. */
export async function readClaim(ctx: Ctx, token: string): Promise<CheckinClaim | null> {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined) return null;
  try {
    if (!verify(null, Buffer.from(payload), (await keys(ctx)).publicKey, Buffer.from(sig, 'base64url'))) return null;
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CheckinClaim;
  } catch {
    return null;
  }
}
