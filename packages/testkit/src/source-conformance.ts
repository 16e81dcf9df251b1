import { createPayload, type PayloadInit, type Source } from '@deltav/core';
import { expectResolves, settleWithin, withBounds, type CheckBounds } from './bounds.js';
import { registerChecks, runChecks, type Check, type CheckResult, type TestRegistrar } from './checks.js';
import { createTestContext, type TestContextInit } from './context.js';
import { ConformanceError } from './errors.js';
import { hygieneChecks } from './hygiene-checks.js';
import {
  abortReason,
  closeQuietly,
  expectAbortRejection,
  expectIdempotentClose,
  expectRetryableRejection,
  observed,
  waitUntilStarted,
} from './lifecycle.js';

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

async function withScenario(subject: Subject, provider: SourceProvider, use: (scenario: SourceScenario) => Promise<void>): Promise<void> {
  const scenario = await provide(provider);
  try {
    await use(scenario);
  } finally {
    await closeQuietly(scenario.source, subject.callTimeoutMs);
  }
}

function fetchWith(scenario: SourceScenario, signal?: AbortSignal): Promise<PayloadInit | null | undefined> {
  const context = createTestContext({ ...scenario.context, ...(signal === undefined ? {} : { signal }) });
  try {
    return Promise.resolve(scenario.source.fetch(context));
  } catch (error) {
    return Promise.reject(error);
  }
}

const abortedSignal: Check<Subject> = {
  id: 'aborted-signal',
  title: 'fetch rejects when the signal is already aborted',
  run: (subject) =>
    withScenario(subject, subject.create, async (scenario) => {
      const reason = abortReason('before fetch');
      const outcome = await settleWithin(fetchWith(scenario, AbortSignal.abort(reason)), subject.abortWithinMs);
      expectAbortRejection('aborted-signal', 'fetch', outcome, reason, subject.abortWithinMs, 'was already aborted');
    }),
};

const abortMidFetch: Check<Subject> = {
  id: 'abort-mid-fetch',
  title: 'fetch rejects soon after an abort mid-fetch',
  skipReason: (subject) => (subject.stalled === undefined ? 'no stalled scenario given' : undefined),
  run: (subject) =>
    withScenario(subject, subject.stalled!, async (scenario) => {
      const controller = new AbortController();
      const fetching = observed(fetchWith(scenario, controller.signal));
      await waitUntilStarted('abort-mid-fetch', scenario.started, subject.callTimeoutMs);

      const early = await settleWithin(fetching, 0);
      if (early.status !== 'pending') {
        throw new ConformanceError('abort-mid-fetch', `fetch ${early.status === 'fulfilled' ? 'resolved' : 'rejected'} before the abort; the stalled scenario must keep fetch pending until its signal aborts.`);
      }

      const reason = abortReason('mid-fetch');
      controller.abort(reason);
      const outcome = await settleWithin(fetching, subject.abortWithinMs);
      expectAbortRejection('abort-mid-fetch', 'fetch', outcome, reason, subject.abortWithinMs, 'aborted mid-fetch');
    }),
};

const validPayload: Check<Subject> = {
  id: 'payload',
  title: 'fetch returns a valid payload or nothing new',
  run: (subject) =>
    withScenario(subject, subject.create, async (scenario) => {
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

const transientRetryable: Check<Subject> = {
  id: 'transient-retryable',
  title: 'fetch marks transient failures retryable',
  skipReason: (subject) => (subject.transientFailure === undefined ? 'no transientFailure scenario given' : undefined),
  run: (subject) =>
    withScenario(subject, subject.transientFailure!, async (scenario) => {
      const outcome = await settleWithin(fetchWith(scenario), subject.callTimeoutMs);
      expectRetryableRejection('transient-retryable', 'fetch', outcome, subject.callTimeoutMs);
    }),
};

const closeBeforeUse: Check<Subject> = {
  id: 'close-before-use',
  title: 'close() is safe before first use and idempotent',
  run: async (subject) => {
    const scenario = await provide(subject.create);
    await expectIdempotentClose('close-before-use', scenario.source, subject.callTimeoutMs, 'before any fetch');
  },
};

const closeAfterUse: Check<Subject> = {
  id: 'close-after-use',
  title: 'close() after a fetch is idempotent',
  run: async (subject) => {
    const scenario = await provide(subject.create);
    try {
      await expectResolves('close-after-use', 'fetch', () => fetchWith(scenario), subject.callTimeoutMs);
    } catch (error) {
      await closeQuietly(scenario.source, subject.callTimeoutMs);
      throw error;
    }
    await expectIdempotentClose('close-after-use', scenario.source, subject.callTimeoutMs, 'after a fetch');
  },
};

/** Drives every scenario through fetch, abort and close, ignoring outcomes: the hygiene checks judge side effects. */
async function exercise(subject: Subject): Promise<void> {
  await withScenario(subject, subject.create, async (scenario) => {
    await settleWithin(fetchWith(scenario), subject.callTimeoutMs);
    await settleWithin(fetchWith(scenario, AbortSignal.abort(abortReason('before fetch'))), subject.abortWithinMs);
  });

  if (subject.stalled !== undefined) {
    await withScenario(subject, subject.stalled, async (scenario) => {
      const controller = new AbortController();
      const fetching = observed(fetchWith(scenario, controller.signal));
      await waitUntilStarted('hygiene', scenario.started, subject.callTimeoutMs).catch(() => {});
      controller.abort(abortReason('mid-fetch'));
      await settleWithin(fetching, subject.abortWithinMs);
    });
  }

  if (subject.transientFailure !== undefined) {
    await withScenario(subject, subject.transientFailure, async (scenario) => {
      await settleWithin(fetchWith(scenario), subject.callTimeoutMs);
    });
  }
}

/** The source checks, in the order they run. */
export const sourceChecks: ReadonlyArray<Check<Subject>> = [
  abortedSignal,
  abortMidFetch,
  validPayload,
  transientRetryable,
  closeBeforeUse,
  closeAfterUse,
  ...hygieneChecks('fetch', exercise),
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
