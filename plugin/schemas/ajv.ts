import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Invalid, type ErrorDetail } from '../errors';

/** One Ajv instance for the module: all errors, defaults filled in, formats on. */
export const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: true });
addFormats(ajv);
ajv.addFormat('calendar-date', {
  type: 'string',
  validate: (s: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  },
});

/** Query strings arrive as strings; a separate instance coerces them to the schema's types. */
export const ajvQuery = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: true });
addFormats(ajvQuery);
ajvQuery.addFormat('calendar-date', ajv.formats['calendar-date'] as never);

/** Turns Ajv errors into details that name the field, e.g. `body.hireDate`. */
export function toDetails(errors: ErrorObject[] | null | undefined, root: string): ErrorDetail[] {
  return (errors ?? []).map((e) => {
    let path = root + e.instancePath.replace(/\//g, '.');
    if (e.keyword === 'required') path += `.${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === 'additionalProperties') path += `.${(e.params as { additionalProperty: string }).additionalProperty}`;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'enum') message += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    if (e.keyword === 'additionalProperties') message = 'is not an allowed field';
    return { path, message };
  });
}

export function assertValid<T>(validate: ValidateFunction<T>, data: unknown, root: string): T {
  if (!validate(data)) {
    const details = toDetails(validate.errors, root);
    throw new Invalid(`Invalid ${root}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
  }
  return data as T;
}
