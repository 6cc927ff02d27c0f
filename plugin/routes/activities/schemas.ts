/** Input schemas of the activities endpoints, beside the routes that use them. */

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
};

const optionSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    capacity: { type: ['integer', 'null'], minimum: 1, maximum: 100000 },
  },
};

export const activityBody = {
  type: 'object',
  required: ['title', 'type', 'startAt', 'endAt', 'location', 'registrationDeadline'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    type: { type: 'string', minLength: 1, maxLength: 32 },
    description: { type: 'string', maxLength: 20000 },
    startAt: { type: 'string', format: 'date-time' },
    endAt: { type: 'string', format: 'date-time' },
    location: { type: 'string', minLength: 1, maxLength: 200 },
    registrationDeadline: { type: 'string', format: 'date-time' },
    capacity: { type: ['integer', 'null'], minimum: 1, maximum: 100000 },
    optionLimit: { type: ['integer', 'null'], minimum: 1, maximum: 50 },
    options: { type: 'array', maxItems: 50, items: optionSchema },
    audience: {
      type: 'object',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['members', 'orgs', 'departments', 'groups', 'employed'] },
        ids: { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 64 } },
      },
    },
  },
};

export const registerBody = {
  type: 'object',
  additionalProperties: false,
  properties: { options: { type: 'array', maxItems: 50, items: { type: 'integer', minimum: 1 } } },
};

export const cancelBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 200 } },
};

const digits = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' };
export const registerFormBody = {
  type: 'object',
  additionalProperties: false,
  properties: { options: { anyOf: [digits, { type: 'array', maxItems: 50, items: digits }] } },
};

const token = { type: 'string', minLength: 10, maxLength: 1000, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' };

/** Staff check someone in from the roster (employeeId) or by scanning their personal code (token). */
export const staffCheckinBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: { employeeId: { type: 'string', minLength: 1, maxLength: 64 }, token },
};

export const tokenBody = { type: 'object', required: ['token'], additionalProperties: false, properties: { token } };
export const tokenQuery = { type: 'object', required: ['t'], additionalProperties: false, properties: { t: token } };

export const feedbackBody = {
  type: 'object',
  required: ['score'],
  additionalProperties: false,
  properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, suggestion: { type: 'string', maxLength: 1000 } },
};

/** The page's feedback form sends the score as a string. */
export const feedbackFormBody = {
  type: 'object',
  required: ['score'],
  additionalProperties: false,
  properties: { score: { type: 'string', enum: ['1', '2', '3', '4', '5'] }, suggestion: { type: 'string', maxLength: 1000 } },
};

export const noticeBody = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: { message: { type: 'string', minLength: 1, maxLength: 500 } },
};

const text = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max });

/** The staff form: strings throughout; services/activities/form.ts turns them into an activity. */
export const activityFormBody = {
  type: 'object',
  required: ['title', 'type', 'startAt', 'endAt', 'location', 'registrationDeadline'],
  additionalProperties: false,
  properties: {
    title: text(200, 1),
    type: text(32, 1),
    description: text(20000),
    startAt: text(16, 1),
    endAt: text(16, 1),
    registrationDeadline: text(16, 1),
    location: text(200, 1),
    capacity: text(6),
    optionLimit: text(2),
    options: text(5000),
    audienceKind: { type: 'string', enum: ['members', 'orgs', 'departments', 'groups', 'employed'] },
    audienceIds: text(2000),
    audienceGroups: { anyOf: [text(32, 1), { type: 'array', maxItems: 20, items: text(32, 1) }] },
  },
};
