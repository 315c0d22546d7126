// Always-on assertions for programmer errors (never for modelled failures, which are events).

export class SimAssertionError extends Error {
  override name = 'SimAssertionError';
}

export function assert(cond: unknown, message: string | (() => string)): asserts cond {
  if (!cond) throw new SimAssertionError(typeof message === 'function' ? message() : message);
}

/** Exhaustiveness check at the end of every switch over a closed union. */
export function assertNever(value: never, what = 'value'): never {
  throw new SimAssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** A run stopped by one of its named limits (eventsMax, queue bounds…): a reported failure. */
export class SimLimitError extends Error {
  override name = 'SimLimitError';
  constructor(
    readonly limit: string,
    readonly value: number,
    message: string,
  ) {
    super(message);
  }
}
