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
        kind: { type: 'string', enum: ['members', 'orgs', 'departments', 'employed'] },
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
