/** Typed errors: each carries an HTTP status, a machine-readable code and, where it helps, the fields at fault. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class UnionError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** An i18n key (under errors.) for what people read on a page; the API keeps the English message. */
  reason?: { key: string; vars?: Record<string, string> };

  because(key: string, vars?: Record<string, string>): this {
    this.reason = { key, vars };
    return this;
  }
}

export class Invalid extends UnionError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(400, 'invalid_input', message, details);
  }
  static field(path: string, message: string): Invalid {
    return new Invalid(`${path}: ${message}`, [{ path, message }]);
  }
}

export class Unauthorized extends UnionError {
  constructor(message = 'A valid sign-in token is required') {
    super(401, 'unauthorized', message);
  }
}

export class Forbidden extends UnionError {
  constructor(message = 'You do not have permission for this') {
    super(403, 'forbidden', message);
  }
}

export class NotFound extends UnionError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class Conflict extends UnionError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(409, 'conflict', message, details);
  }
}

/** Raised at load time; never reaches a client. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(details.length ? `${message}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}` : message);
    this.name = 'ConfigError';
  }
}
