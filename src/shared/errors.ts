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

/** A service the configuration names could not be reached at start; `message` is one line an operator can act on. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/**
 * The database could not be reached (connection refused or lost, server shutting down). Nothing is
 * wrong with the work itself: it is not counted as a failed try and never becomes a dead letter;
 * whoever handed it in keeps it and tries again.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`.slice(0, 300), {
      cause,
    });
    this.name = 'DatabaseUnavailableError';
  }
}
