import { ConformanceError, describeError } from './errors.js';

/** One conformance check: what it verifies and how. */
export interface Check<Subject> {
  /** A stable id, such as `abort-mid-fetch`. */
  readonly id: string;
  /** The behaviour it pins, used as the test name. */
  readonly title: string;
  /** Returns why the check does not apply to `subject`, or `undefined` when it does. */
  skipReason?(subject: Subject): string | undefined;
  /** Resolves when the plugin passes; throws a `ConformanceError` that states what is wrong otherwise. */
  run(subject: Subject): Promise<void>;
}

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  /** The reason the check failed or was skipped. */
  message?: string;
  /** The error of a failed check. */
  error?: unknown;
}

/**
 * The `describe` and `it` of a test runner. Both vitest's and `node:test`'s fit, so the
 * kit imports neither.
 */
export interface TestRegistrar {
  describe(name: string, body: () => void): unknown;
  it: ((name: string, body: () => Promise<void>) => unknown) & { skip?: (name: string, body: () => Promise<void>) => unknown };
}

/**
 * Runs the checks in turn and returns one result per check; never throws. `only` limits
 * the run to the checks with those ids.
 */
export async function runChecks<Subject>(checks: ReadonlyArray<Check<Subject>>, subject: Subject, only?: ReadonlyArray<string>): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (only !== undefined && !only.includes(check.id)) continue;
    const skipReason = check.skipReason?.(subject);
    if (skipReason !== undefined) {
      results.push({ id: check.id, title: check.title, status: 'skip', message: skipReason });
      continue;
    }
    try {
      await check.run(subject);
      results.push({ id: check.id, title: check.title, status: 'pass' });
    } catch (error) {
      results.push({ id: check.id, title: check.title, status: 'fail', message: describeFailure(error), error });
    }
  }
  return results;
}

/** Registers one test per check inside a `describe` block; a check that does not apply is registered as skipped. */
export function registerChecks<Subject>(heading: string, checks: ReadonlyArray<Check<Subject>>, subject: Subject, registrar: TestRegistrar): void {
  registrar.describe(heading, () => {
    for (const check of checks) {
      const skipReason = check.skipReason?.(subject);
      if (skipReason === undefined) {
        registrar.it(check.title, () => check.run(subject));
      } else if (registrar.it.skip !== undefined) {
        registrar.it.skip(`${check.title} (${skipReason})`, async () => {});
      }
    }
  });
}

/** Throws one `ConformanceError` that lists every failed check, or returns when none failed. */
export function assertConformance(results: ReadonlyArray<CheckResult>): void {
  const failed = results.filter((result) => result.status === 'fail');
  if (failed.length === 0) return;
  const lines = failed.map((result) => `- ${result.id}: ${result.message ?? 'failed'}`);
  throw new ConformanceError(failed.map((result) => result.id).join(','), `${failed.length} of ${results.length} conformance checks failed:\n${lines.join('\n')}`);
}

function describeFailure(error: unknown): string {
  if (error instanceof ConformanceError) return error.message;
  return `the check itself failed with ${describeError(error)}`;
}
