/** Input schemas of the contracts area's endpoints (ajv, compiled once by the router). */
import { CLAUSE_KINDS, CONTRACT_KINDS, RESULTS } from '../../services/contracts/rules';
import { HAND_OVER_TO, SHORTFALL_KINDS } from '../../services/contracts/shortfall-flow';

export const byId = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
};
export type ById = { id: string };
export const byFile = {
  type: 'object',
  required: ['id', 'fileId'],
  additionalProperties: false,
  properties: { id: byId.properties.id, fileId: byId.properties.id },
};
export type ByFile = { id: string; fileId: string };

const date = { type: 'string', format: 'calendar-date' };
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });

export const contractBody = {
  type: 'object',
  required: ['kind', 'title', 'startsOn', 'endsOn', 'signedOn', 'clauses'],
  additionalProperties: false,
  properties: {
    kind: { enum: CONTRACT_KINDS },
    title: text(200),
    startsOn: date,
    endsOn: date,
    signedOn: date,
    filedOn: date,
    reviewDays: { type: 'integer', minimum: 1, maximum: 60 },
    clauses: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        required: ['kind', 'text', 'dataRequired', 'dataDueDays'],
        additionalProperties: false,
        properties: {
          kind: { enum: CLAUSE_KINDS },
          text: text(1000),
          target: { type: 'string', maxLength: 200 },
          dataRequired: text(500),
          dataDueDays: { type: 'integer', minimum: 0, maximum: 60 },
        },
      },
    },
  },
};

// Forms send every field, untouched ones as ''; `fromForm` drops those before the service sees them.
const orBlank = (schema: object) => ({ anyOf: [schema, { const: '' }] });

/** The body without the blanks a form sends for fields left empty, with form digits as numbers. */
export function fromForm<T extends object>(body: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (v !== '') out[k] = k === 'days' || k === 'contractId' ? Number(v) : v;
  return out as T;
}

export const itemParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: byId.properties.id, checkId: byId.properties.id },
};
export type ItemParams = { id: string; checkId?: string };

export const itemBody = {
  type: 'object',
  additionalProperties: false,
  properties: { result: orBlank({ enum: RESULTS }), note: { type: 'string', maxLength: 1000 }, dataReceivedOn: orBlank(date) },
};

export const shortfallBody = {
  type: 'object',
  required: ['kind', 'summary'],
  additionalProperties: false,
  properties: {
    kind: { enum: SHORTFALL_KINDS },
    summary: text(2000),
    contractId: { type: 'integer', minimum: 1 },
    clauseId: { type: 'integer', minimum: 1 },
  },
};

export const stepBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    on: orBlank(date),
    note: { type: 'string', maxLength: 2000 },
    days: orBlank({
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 60 },
        { type: 'string', pattern: '^([1-9]|[1-5][0-9]|60)$' },
      ],
    }),
    to: { enum: HAND_OVER_TO },
  },
};

export const filingBody = {
  type: 'object',
  required: ['filedOn'],
  additionalProperties: false,
  properties: { filedOn: date, reviewDays: { type: 'integer', minimum: 1, maximum: 60 } },
};
