/** A domain rule said no; `code` becomes resident-friendly text or an HTTP status at the edge. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'DomainError';
  }
}

/** Configuration or municipality data is wrong; start-up prints `message` as one line and stops. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
