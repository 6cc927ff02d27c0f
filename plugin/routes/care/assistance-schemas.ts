/** Input schemas of hardship assistance's endpoints (ajv, compiled once by the router). */
import { CATEGORIES, GRADES, KINDS, REVIEW_OUTCOMES } from '../../services/care/assistance-rules';

const id = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' };
export const byId = { type: 'object', required: ['id'], additionalProperties: false, properties: { id } };
export type ById = { id: string };
export const byObjection = {
  type: 'object',
  required: ['id', 'objectionId'],
  additionalProperties: false,
  properties: { id, objectionId: id },
};
export type ByObjection = { id: string; objectionId: string };

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });
/** Checkboxes arrive as 'on' from a form and as booleans from JSON. */
const flag = { anyOf: [{ type: 'boolean' }, { enum: ['on', 'true', 'false', ''] }] };
export const checked = (v: unknown) => v === true || v === 'on' || v === 'true';
// A form posts the amount as text; the API sends a number. Yuan, at most two decimals.
// A form's empty field ('') means "not given".
const amount = {
  anyOf: [
    { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
    { type: 'string', pattern: '^\\d{1,7}(\\.\\d{1,2})?$' },
    { const: '' },
  ],
};
const optionalDate = { anyOf: [{ type: 'string', format: 'calendar-date' }, { const: '' }] };

const application = {
  category: { enum: [...CATEGORIES] },
  description: text(5000),
  urgent: flag,
};
export const applyBody = { type: 'object', required: ['category', 'description'], additionalProperties: false, properties: application };
export const onBehalfBody = {
  type: 'object',
  required: ['employeeId', 'category', 'description'],
  additionalProperties: false,
  properties: { ...application, employeeId: { type: 'string', minLength: 1, maxLength: 64 } },
};
export type ApplyBody = { category: (typeof CATEGORIES)[number]; description: string; urgent?: boolean | string };
export type OnBehalfBody = ApplyBody & { employeeId: string };

export const optionalNote = { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 2000 } } };
export const noteBody = { type: 'object', required: ['note'], additionalProperties: false, properties: { note: text(2000) } };
export const verifyBody = {
  type: 'object',
  required: ['note'],
  additionalProperties: false,
  properties: { note: text(2000), homeVisitOn: optionalDate, familyConsent: flag },
};
export type VerifyBody = { note: string; homeVisitOn?: string; familyConsent?: boolean | string };
export const decideBody = {
  type: 'object',
  required: ['decision'],
  additionalProperties: false,
  properties: {
    decision: { enum: ['grant', 'reject'] },
    kind: { enum: [...KINDS] },
    amount,
    grade: { enum: [...GRADES] },
    note: { type: 'string', maxLength: 2000 },
  },
};
export type DecideBody = {
  decision: 'grant' | 'reject';
  kind?: string;
  amount?: number | string;
  grade?: (typeof GRADES)[number];
  note?: string;
};
export const reviewBody = {
  type: 'object',
  required: ['outcome', 'note'],
  additionalProperties: false,
  properties: { outcome: { enum: [...REVIEW_OUTCOMES] }, grade: { enum: [...GRADES] }, note: text(2000) },
};
export const objectionBody = { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: text(2000) } };
export const resolveBody = {
  type: 'object',
  required: ['outcome', 'resolution'],
  additionalProperties: false,
  properties: { outcome: { enum: ['upheld', 'dismissed'] }, resolution: text(2000) },
};
export const scopeQuery = { type: 'object', additionalProperties: false, properties: { scope: { enum: ['mine', 'all'] } } };
