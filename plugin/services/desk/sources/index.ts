import type { DeskSource } from '../types';
import { membershipSource } from './membership';
import { activitiesSource } from './activities';
import { grievancesSource } from './grievances';
import { careSource } from './care';
import { assistanceSource } from './assistance';
import { congressSource } from './congress';
import { contractsSource } from './contracts';

/**
 * Every area that contributes to the desk, in the order its to-dos and figures are shown. An area adds
 * itself here with one line (see docs/DESIGN.md, "The desk").
 */
export const DESK_SOURCES: readonly DeskSource[] = [
  membershipSource,
  activitiesSource,
  grievancesSource,
  careSource,
  assistanceSource,
  congressSource,
  contractsSource,
];
