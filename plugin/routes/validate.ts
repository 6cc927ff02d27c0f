import type { Request } from 'express';
import { ajv, ajvQuery, assertValid } from '../schemas/ajv';

/** Compiles a body schema once; the returned function validates a request's body against it. */
export function bodyValidator<T>(schema: object) {
  const validate = ajv.compile<T>(schema);
  return (req: Request): T => assertValid(validate, req.body ?? {}, 'body');
}

export function queryValidator<T>(schema: object) {
  const validate = ajvQuery.compile<T>(schema);
  // Express 5 exposes req.query as a getter; validate a copy so defaults and coercion stick.
  return (req: Request): T => assertValid(validate, Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== '')), 'query');
}
