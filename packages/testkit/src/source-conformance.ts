import { createPayload, type PayloadInit, type Source } from '@deltav/core';
import { expectResolves, withBounds, type CheckBounds } from './bounds.js';
import { registerChecks, runChecks, type Check, type CheckResult, type TestRegistrar } from './checks.js';
import { createTestContext, type TestContextInit } from './context.js';
import { ConformanceError } from './errors.js';
import { hygieneChecks } from './hygiene-checks.js';
import { abortedSignalCheck, abortMidCallCheck, closeAfterUseCheck, closeBeforeUseCheck, exercise, transientRetryableCheck } from './lifecycle-checks.js';
import { withScenario, type PluginDriver } from './plugin-driver.js';

/** A source prepared for one check, with what the check needs to drive it. */
export interface SourceScenario {
  source: Source;
  /** Run context fields for the fetch calls, such as a state store shared between scenarios. */
  context?: TestContextInit;
  /**
   * Resolves once the fetch is under way, such as when the test server received the
   * request. The stalled check aborts right after it; without it, after 50 ms.
   */
  started?: Promise<unknown>;
}

/** Creates a fresh source, or a scenario around one, for each check. */
export type SourceProvider = () => Source | SourceScenario | Promise<Source | SourceScenario>;

/** Input of the source checks. */
export interface SourceConformanceOptions extends CheckBounds {
  /** The plugin name shown in test names. */
  name: string;
  /** A source that works: its fetch returns a payload or "nothing new". */
  create: SourceProvider;
  /**
   * A source whose fetch stays pending until its signal aborts, such as one aimed at a
   * local server that accepts the request and never responds. Without it the
   * mid-fetch abort check is skipped.
   */
  stalled?: SourceProvider;
  /**
   * A source whose fetch fails the way a later attempt may fix, such as a local server
   * responding with status 503. Without it the retryable check is skipped.
   */
  transientFailure?: SourceProvider;
}

type Subject = SourceConformanceOptions & Required<CheckBounds>;

async function provide(provider: SourceProvider): Promise<SourceScenario> {
  const provided = await provider();
  return 'source' in provided && typeof (provided as Partial<Source>).fetch !== 'function' ? (provided as SourceScenario) : { source: provided as Source };
}

function fetchWith(scenario: SourceScenario, signal?: AbortSignal): Promise<PayloadInit | null | undefined> {
  const context = createTestContext({ ...scenario.context, ...(signal === undefined ? {} : { signal }) });
  try {
    return Promise.resolve(scenario.source.fetch(context));
  } catch (error) {
    return Promise.reject(error);
  }
}

const driver: PluginDriver<Subject, SourceScenario> = {
  verb: 'fetch',
  provide: (subject, role) => provide(subject[role]!),
  plugin: (scenario) => scenario.source,
  call: fetchWith,
};

const validPayload: Check<Subject> = {
  id: 'payload',
  title: 'fetch returns a valid payload or nothing new',
  run: (subject) =>
    withScenario(driver, subject, 'create', async (scenario) => {
      // Two fetches with one state store, because a second fetch often takes another path ("nothing new").
      const shared: SourceScenario = { ...scenario, context: { ...scenario.context, state: scenario.context?.state ?? createTestContext().state } };
      for (const call of ['the first fetch', 'the second fetch']) {
        const result = await expectResolves('payload', call, () => fetchWith(shared), subject.callTimeoutMs);
        checkPayload(call, result);
      }
    }),
};

function checkPayload(call: string, result: unknown): void {
  if (result === null || result === undefined) return;
  try {
    createPayload(result as PayloadInit);
  } catch (error) {
    throw new ConformanceError('payload', `${call} returned an invalid payload: ${(error as Error).message}`, { cause: error });
  }

  const metadata = (result as PayloadInit).metadata;
  if (metadata === undefined) return;
  if (typeof metadata !== 'object' || metadata === null) {
    throw new ConformanceError('payload', `${call} returned metadata of type ${typeof metadata}; expected an object of strings.`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      throw new ConformanceError('payload', `${call} returned metadata.${key} as ${typeof value}; metadata values must be strings.`);
    }
  }
}

/** The source checks, in the order they run. */
export const sourceChecks: ReadonlyArray<Check<Subject>> = [
  abortedSignalCheck(driver),
  abortMidCallCheck(driver),
  validPayload,
  transientRetryableCheck(driver),
  closeBeforeUseCheck(driver),
  closeAfterUseCheck(driver),
  ...hygieneChecks<Subject>(driver.verb, (subject) => exercise(driver, subject)),
];

function subjectOf(options: SourceConformanceOptions): Subject {
  return withBounds(options);
}

/** Runs the source checks, or those whose ids are in `only`, and returns one result per check; never throws. */
export function checkSource(options: SourceConformanceOptions, only?: ReadonlyArray<string>): Promise<CheckResult[]> {
  return runChecks(sourceChecks, subjectOf(options), only);
}

/** Registers the source checks as tests of vitest or `node:test`: pass that runner's `describe` and `it`. */
export function describeSourceConformance(options: SourceConformanceOptions, registrar: TestRegistrar): void {
  registerChecks(`source conformance: ${options.name}`, sourceChecks, subjectOf(options), registrar);
}
