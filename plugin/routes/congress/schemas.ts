/** Input schemas of the congress area's endpoints (ajv, compiled once by the router). */
import { CATEGORIES, CHOICES } from '../../services/congress/rules';
import { RATINGS } from '../../services/congress/flow';
import { MATTER_KINDS, MATTER_STEPS, MATTER_TOPICS } from '../../services/congress/matters';

const idPattern = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' };
export const byId = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: idPattern } };
export type ById = { id: string };
export const byVoteId = { type: 'object', required: ['voteId'], additionalProperties: false, properties: { voteId: idPattern } };
export type ByVoteId = { voteId: string };

const employeeId = { type: 'string', minLength: 1, maxLength: 64 };
const date = { type: 'string', format: 'calendar-date' };
const pct = { anyOf: [{ type: 'integer', minimum: 0, maximum: 100 }, { type: 'null' }] };
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });

export const sessionBody = {
  type: 'object',
  required: ['title', 'delegates'],
  additionalProperties: false,
  properties: {
    title: text(200),
    delegates: { type: 'array', maxItems: 2000, items: employeeId },
    term: { type: 'string', maxLength: 50 },
    sitting: { type: 'integer', minimum: 1, maximum: 99 },
    startsOn: date,
    endsOn: date,
    agenda: { type: 'array', maxItems: 50, items: text(200) },
    motionsOpenOn: date,
    motionsCloseOn: date,
    managerMaxPct: pct,
    womenMinPct: pct,
    frontLineMinPct: pct,
  },
};

export const delegatesBody = {
  type: 'object',
  required: ['delegates'],
  additionalProperties: false,
  properties: {
    delegates: {
      type: 'array',
      minItems: 1,
      maxItems: 2000,
      items: {
        type: 'object',
        required: ['employeeId'],
        additionalProperties: false,
        properties: {
          employeeId,
          category: { enum: CATEGORIES },
          votesReceived: { type: 'integer', minimum: 0 },
          electedOn: date,
        },
      },
    },
  },
};

export const attendanceBody = {
  type: 'object',
  required: ['present'],
  additionalProperties: false,
  // A form sends one checkbox as a string, several as a list, and a hidden empty field so that "nobody" is a list too.
  properties: {
    present: {
      anyOf: [
        { type: 'array', maxItems: 2001, items: { type: 'string', maxLength: 64 } },
        { type: 'string', maxLength: 64 },
      ],
    },
  },
};
/** The present list from JSON or a form, without the form's empty marker. */
export const presentList = (v: string | string[]) => [v].flat().filter((x) => x !== '');

export const minutesBody = { type: 'object', required: ['minutes'], additionalProperties: false, properties: { minutes: text(20000) } };

export const voteBody = {
  type: 'object',
  required: ['subject'],
  additionalProperties: false,
  properties: { subject: text(300), secret: { anyOf: [{ type: 'boolean' }, { enum: ['true', 'false'] }] } },
};

export const ballotBody = {
  type: 'object',
  required: ['choice'],
  additionalProperties: false,
  // sessionId: the phone page's hidden field, so a refused ballot returns to the session.
  properties: { choice: { enum: CHOICES }, sessionId: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
};

export const motionBody = {
  type: 'object',
  required: ['title', 'content'],
  additionalProperties: false,
  properties: {
    title: text(200),
    content: text(5000),
    withholdName: { anyOf: [{ type: 'boolean' }, { enum: ['on', 'true', 'false', ''] }] },
  },
};
export type MotionBody = { title: string; content: string; withholdName?: boolean | string };
/** Checkboxes arrive as 'on' from a form and as booleans from JSON. */
export const checked = (v: unknown) => v === true || v === 'on' || v === 'true';

export const reasonBody = { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: text(500) } };
export const assignBody = {
  type: 'object',
  required: ['leadDepartmentId', 'answererId', 'days'],
  additionalProperties: false,
  properties: {
    leadDepartmentId: { type: 'string', minLength: 1, maxLength: 64 },
    answererId: employeeId,
    supportingDepartmentIds: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 64 } },
    days: { type: 'integer', minimum: 1, maximum: 90 },
  },
};
export const answerBody = { type: 'object', required: ['answer'], additionalProperties: false, properties: { answer: text(10000) } };
export const rateBody = {
  type: 'object',
  required: ['rating'],
  additionalProperties: false,
  properties: { rating: { enum: RATINGS }, comment: { type: 'string', maxLength: 500 } },
};

export const matterBody = {
  type: 'object',
  required: ['kind', 'topic', 'title'],
  additionalProperties: false,
  properties: {
    kind: { enum: MATTER_KINDS },
    topic: { enum: MATTER_TOPICS },
    title: text(200),
    sessionId: { type: 'integer', minimum: 1 },
    steps: { type: 'object', additionalProperties: false, properties: Object.fromEntries(MATTER_STEPS.map((s) => [s, date])) },
  },
};
export const stepBody = {
  type: 'object',
  required: ['step'],
  additionalProperties: false,
  properties: { step: { enum: MATTER_STEPS }, on: date },
};
