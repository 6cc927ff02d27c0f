/**
 * An event id, or the webhook-id header standing in for it, is stored in union_events.id (VARCHAR(128))
 * and as the actor `event:<id>` of the audit and history rows it causes (VARCHAR(128)): 128 - 6.
 */
export const EVENT_ID_MAX = 122;

/** The shape of a host event, in-process or over the webhook. */
export const hostEventSchema = {
  type: 'object',
  required: ['type', 'timestamp', 'data'],
  additionalProperties: true,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: EVENT_ID_MAX },
    type: { enum: ['employee.hired', 'employee.exited', 'employee.transferred', 'employee.updated'] },
    timestamp: { type: 'string', format: 'date-time' },
    data: {
      type: 'object',
      required: ['employeeId'],
      additionalProperties: true,
      properties: {
        employeeId: { type: 'string', minLength: 1, maxLength: 64 },
        departmentId: { type: 'string', minLength: 1, maxLength: 64 },
        fromDepartmentId: { type: 'string', maxLength: 64 },
        hireDate: { type: 'string', format: 'calendar-date' },
        exitDate: { type: 'string', format: 'calendar-date' },
        reason: { type: 'string', maxLength: 200 },
        retired: { type: 'boolean' },
      },
    },
  },
} as const;
