/** The code of every error a failed conformance check throws. */
export const CONFORMANCE_FAILED = 'DELTAV_CONFORMANCE_FAILED';

/**
 * A failed conformance check. Test runners print it like an assertion error; `check`
 * names the check, and the message states what the plugin did and what it should do.
 */
export class ConformanceError extends Error {
  readonly code = CONFORMANCE_FAILED;
  readonly check: string;

  constructor(check: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConformanceError';
    this.check = check;
  }
}

/** Describes a thrown value for a message: its class or name, its code when it has one, and its message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a non-error value (${typeof error}: ${String(error)})`;
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
}
