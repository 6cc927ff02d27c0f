/** Input schemas of the HR API, compiled once; every error names the field it is about. */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { badRequest, type FieldError } from './errors';

const ajv = new Ajv({ allErrors: true, coerceTypes: false, useDefaults: true });
addFormats(ajv, ['date', 'email']);

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });
const date = { type: 'string', format: 'date' };
const id = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' };

export interface HireInput {
  name: string;
  departmentId: string;
  gender: 'M' | 'F';
  birthDate: string;
  hireDate: string;
  position?: string;
  phone?: string;
  email?: string;
  shiftWorker?: boolean;
  expatriate?: boolean;
}
export interface ExitInput {
  exitDate: string;
  reason?: string;
  retired?: boolean;
}
export interface TransferInput {
  departmentId: string;
}
export interface RehireInput {
  hireDate: string;
  departmentId?: string;
}
export interface ListQuery {
  status?: 'employed' | 'exited' | 'retired';
  departmentId?: string;
  q?: string;
  cursor?: string;
  limit: number;
}

export const validateHire = compile<HireInput>({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'departmentId', 'gender', 'birthDate', 'hireDate'],
  properties: {
    name: text(64),
    departmentId: id,
    gender: { enum: ['M', 'F'] },
    birthDate: date,
    hireDate: date,
    position: text(64),
    phone: { type: 'string', pattern: '^\\+?[0-9 -]{5,20}$' },
    email: { type: 'string', format: 'email', maxLength: 128 },
    shiftWorker: { type: 'boolean' },
    expatriate: { type: 'boolean' },
  },
});

export const validateExit = compile<ExitInput>({
  type: 'object',
  additionalProperties: false,
  required: ['exitDate'],
  properties: { exitDate: date, reason: text(64), retired: { type: 'boolean' } },
});

export const validateTransfer = compile<TransferInput>({
  type: 'object',
  additionalProperties: false,
  required: ['departmentId'],
  properties: { departmentId: id },
});

export const validateRehire = compile<RehireInput>({
  type: 'object',
  additionalProperties: false,
  required: ['hireDate'],
  properties: { hireDate: date, departmentId: id },
});

/** Keyset pages cost the same at any depth; this only bounds one response. */
const MAX_LIMIT = 5000;

/** Query strings arrive as text; limit is parsed here rather than by coercion so "abc" is an error, not 0. */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const details: FieldError[] = [];
  const str = (k: string): string | undefined => {
    const v = query[k];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') details.push({ path: k, message: 'must be given once, as text' });
    return typeof v === 'string' ? v : undefined;
  };
  const status = str('status');
  if (status !== undefined && !['employed', 'exited', 'retired'].includes(status))
    details.push({ path: 'status', message: 'must be one of employed, exited, retired' });
  const rawLimit = str('limit');
  const limit = rawLimit === undefined ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    details.push({ path: 'limit', message: `must be a whole number from 1 to ${MAX_LIMIT}` });
  const q = str('q');
  if (q !== undefined && q.length > 64) details.push({ path: 'q', message: 'must be at most 64 characters' });
  const out = { status: status as ListQuery['status'], departmentId: str('departmentId'), q, cursor: str('cursor'), limit };
  if (details.length) throw badRequest(details);
  return out;
}

function compile<T>(schema: object): (input: unknown) => T {
  const fn: ValidateFunction = ajv.compile(schema);
  return (input) => {
    if (!fn(input)) throw badRequest(toFieldErrors(fn.errors ?? []));
    return input as T;
  };
}

function toFieldErrors(errors: ErrorObject[]): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    const d = toFieldError(e);
    const key = `${d.path}|${d.message}`;
    if (!seen.has(key)) {
      out.push(d);
      seen.add(key);
    }
  }
  return out;
}

function toFieldError(e: ErrorObject): FieldError {
  const at = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const join = (k: string) => (at ? `${at}.${k}` : k);
  switch (e.keyword) {
    case 'required':
      return { path: join(String(e.params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { path: join(String(e.params.additionalProperty)), message: 'is not a known field' };
    case 'format':
      return {
        path: at,
        message: e.params.format === 'date' ? 'must be a real date in YYYY-MM-DD form' : `must be a valid ${e.params.format}`,
      };
    case 'pattern':
      return { path: at, message: at.endsWith('Id') ? 'must be an id of letters, digits, _ . -' : 'must not be blank' };
    case 'enum':
      return { path: at, message: `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { path: at || '(body)', message: at ? `must be of type ${e.params.type}` : 'must be a JSON object' };
    case 'minLength':
      return { path: at, message: 'must not be empty' };
    default:
      return { path: at || '(body)', message: e.message ?? 'is invalid' };
  }
}
