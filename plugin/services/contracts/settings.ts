import type { Ctx } from '../../context';

export interface ContractSettings {
  /** Days before a contract's end on which staff are reminded, once, to negotiate its renewal. */
  renewalNoticeDays: number;
}

/** The `contracts` block of the module's settings (manifest.settings), with its defaults. */
export function contractSettings(ctx: Ctx): ContractSettings {
  const own = (ctx.settings as unknown as { contracts?: Partial<ContractSettings> }).contracts ?? {};
  return { renewalNoticeDays: own.renewalNoticeDays ?? 60 };
}
