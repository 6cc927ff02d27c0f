/** Input schemas of the grievances area's endpoints (ajv, compiled once by the router). */
import { CHANNELS, EVALUATIONS, OUTCOMES, PATHS } from '../../services/grievances/flow';

export const byId = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
};
export type ById = { id: string };

const filing = {
  category: { type: 'string', minLength: 1, maxLength: 32 },
  content: { type: 'string', minLength: 1, maxLength: 5000, pattern: '\\S' },
  concerns: { type: 'string', maxLength: 200 },
  anonymous: { anyOf: [{ type: 'boolean' }, { enum: ['on', 'true', 'false', ''] }] },
};
export const fileBody = { type: 'object', required: ['category', 'content'], additionalProperties: false, properties: filing };
export const offlineBody = {
  type: 'object',
  required: ['category', 'content', 'channel'],
  additionalProperties: false,
  properties: {
    ...filing,
    channel: { enum: CHANNELS.filter((c) => c !== 'online') },
    onBehalfOf: { type: 'string', minLength: 1, maxLength: 64 },
  },
};
export type FileBody = { category: string; content: string; concerns?: string; anonymous?: boolean | string };
export type OfflineBody = FileBody & { channel: Exclude<(typeof CHANNELS)[number], 'online'>; onBehalfOf?: string };
/** Checkboxes arrive as 'on' from a form and as booleans from JSON. */
export const checked = (v: unknown) => v === true || v === 'on' || v === 'true';

const note = { type: 'string', minLength: 1, maxLength: 2000, pattern: '\\S' };
export const noteBody = { type: 'object', required: ['note'], additionalProperties: false, properties: { note } };
export const routeBody = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: {
    path: { enum: PATHS },
    days: { type: 'integer', minimum: 3, maximum: 5 },
    nextRound: { type: 'string', maxLength: 200 },
  },
};
export const resolveBody = {
  type: 'object',
  required: ['outcome', 'note'],
  additionalProperties: false,
  properties: { outcome: { enum: OUTCOMES }, note },
};
const yesNo = { anyOf: [{ type: 'boolean' }, { enum: ['on', 'true', 'false', ''] }] };
export const followUpBody = {
  type: 'object',
  required: ['evaluation'],
  additionalProperties: false,
  properties: {
    evaluation: { enum: EVALUATIONS },
    comment: { type: 'string', maxLength: 500 },
    knowsOutcome: yesNo,
    acceptsOutcome: yesNo,
    newProblem: yesNo,
  },
};
export type FollowUpBody = {
  evaluation: (typeof EVALUATIONS)[number];
  comment?: string;
  knowsOutcome?: boolean | string;
  acceptsOutcome?: boolean | string;
  newProblem?: boolean | string;
};
export const reassignBody = {
  type: 'object',
  required: ['to', 'reason'],
  additionalProperties: false,
  properties: { to: { type: 'string', minLength: 1, maxLength: 64 }, reason: note },
};
export const statsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', format: 'calendar-date' },
    to: { type: 'string', format: 'calendar-date' },
    departmentId: { type: 'string', maxLength: 64 },
    category: { type: 'string', maxLength: 32 },
  },
};
export const categoryParams = {
  type: 'object',
  required: ['code'],
  additionalProperties: false,
  properties: { code: { type: 'string', pattern: '^[a-z0-9_]{1,32}$' } },
};
export const categoryBody = {
  type: 'object',
  required: ['staffIds'],
  additionalProperties: false,
  properties: {
    staffIds: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 64 } },
    coordinatedDays: { type: 'integer', minimum: 3, maximum: 5 },
  },
};
export const calendarBody = {
  type: 'object',
  required: ['date', 'kind'],
  additionalProperties: false,
  properties: {
    date: { type: 'string', format: 'calendar-date' },
    kind: { enum: ['workday', 'holiday', 'official'] },
    note: { type: 'string', maxLength: 200 },
  },
};
export const ownerBody = {
  type: 'object',
  required: ['ownerId'],
  additionalProperties: false,
  properties: {
    ownerId: { type: 'string', minLength: 1, maxLength: 64 },
    // A form's empty date field means "keep the checkpoint".
    nextCheckpoint: { anyOf: [{ type: 'string', format: 'calendar-date' }, { const: '' }] },
    note: { type: 'string', maxLength: 500 },
  },
};
