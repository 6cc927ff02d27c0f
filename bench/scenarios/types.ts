/** One line of the results table. */
export interface Row {
  scenario: string;
  measure: string;
  value: number | string;
  unit?: string;
  /** e.g. '< 3000', '>= 1000', 'OK'; absent for figures reported without a target. */
  target?: string;
  met?: boolean;
}

export interface ScenarioResult {
  rows: Row[];
  details: Record<string, unknown>;
  notes?: string[];
}

export const below = (value: number, limit: number) => ({ target: `< ${limit}`, met: value < limit });
export const atLeast = (value: number, limit: number) => ({ target: `>= ${limit}`, met: value >= limit });
