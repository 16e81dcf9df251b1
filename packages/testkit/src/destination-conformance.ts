import { createPayload, type Destination, type Payload } from '@deltav/core';
import { expectResolves, withBounds, type CheckBounds } from './bounds.js';
import { registerChecks, runChecks, type Check, type CheckResult, type TestRegistrar } from './checks.js';
import { createTestContext, type TestContextInit } from './context.js';
import { ConformanceError } from './errors.js';
import { hygieneChecks } from './hygiene-checks.js';
import { abortedSignalCheck, abortMidCallCheck, closeAfterUseCheck, closeBeforeUseCheck, exercise, transientRetryableCheck } from './lifecycle-checks.js';
import { withScenario, type PluginDriver } from './plugin-driver.js';
import { firstDifference, patternBytes, sampleBytes } from './sample-bytes.js';

/** The bytes a destination stored, as its read-back returns them; `null` or `undefined` means nothing. */
export type StoredBytes = Uint8Array | string | null | undefined;

/** A destination prepared for one check, with what the check needs to drive it. */
export interface DestinationScenario {
  destination: Destination;
  /**
   * Returns the bytes the destination stored for its last write (a string counts as
   * UTF-8), or `null`/`undefined` when it stored nothing.
   */
  readBack?(): Promise<StoredBytes> | StoredBytes;
  /** Run context fields for the write calls. */
  context?: TestContextInit;
  /**
   * Resolves once the write is under way. The stalled check aborts right after it;
   * without it, after 50 ms.
   */
  started?: Promise<unknown>;
}

/** Creates a fresh destination scenario for each check. */
export type DestinationProvider = () => DestinationScenario | Promise<DestinationScenario>;

/** Input of the destination checks. */
export interface DestinationConformanceOptions extends CheckBounds {
  /** The plugin name shown in test names. */
  name: string;
  /** A destination that works, with a `readBack` that returns what it stored. */
  create: () => (DestinationScenario & { readBack: NonNullable<DestinationScenario['readBack']> }) | Promise<DestinationScenario & { readBack: NonNullable<DestinationScenario['readBack']> }>;
  /** A destination whose write stays pending until its signal aborts. Without it the mid-write abort check is skipped. */
  stalled?: DestinationProvider;
  /** A destination whose write fails the way a later attempt may fix. Without it the retryable check is skipped. */
  transientFailure?: DestinationProvider;
  /**
   * Size of the large payload, in bytes.
   * @default 8388608 (8 MiB)
   */
  largePayloadBytes?: number;
}

type Subject = DestinationConformanceOptions & Required<CheckBounds> & { largePayloadBytes: number };

function writeWith(scenario: DestinationScenario, payload: Payload, signal?: AbortSignal): Promise<void> {
  const context = createTestContext({ ...scenario.context, ...(signal === undefined ? {} : { signal }) });
  try {
    return Promise.resolve(scenario.destination.write(payload, context));
  } catch (error) {
    return Promise.reject(error);
  }
}

const driver: PluginDriver<Subject, DestinationScenario> = {
  verb: 'write',
  provide: async (subject, role) => subject[role]!(),
  plugin: (scenario) => scenario.destination,
  call: (scenario, signal) => writeWith(scenario, createPayload({ body: sampleBytes() }), signal),
};

async function readBack(check: string, scenario: DestinationScenario, timeoutMs: number): Promise<Uint8Array | undefined> {
  if (scenario.readBack === undefined) throw new ConformanceError(check, 'the create scenario has no readBack(); it must return what the destination stored.');
  const stored = await expectResolves(check, 'readBack()', () => scenario.readBack!(), timeoutMs);
  if (stored === null || stored === undefined) return undefined;
  return typeof stored === 'string' ? new TextEncoder().encode(stored) : stored;
}

/** Writes `body` and fails `check` unless the read-back returns the same bytes. */
async function expectRoundTrip(check: string, subject: Subject, body: Uint8Array, label: string): Promise<void> {
  await withScenario(driver, subject, 'create', async (scenario) => {
    await expectResolves(check, `write of ${label}`, () => writeWith(scenario, createPayload({ body, contentType: 'application/octet-stream' })), subject.callTimeoutMs);
    const stored = await readBack(check, scenario, subject.callTimeoutMs);
    if (stored === undefined) throw new ConformanceError(check, `write of ${label} resolved, but readBack() returned nothing.`);

    const difference = firstDifference(body, stored);
    if (difference !== undefined) {
      throw new ConformanceError(check, `readBack() differs from ${label}: wrote ${body.byteLength} bytes, read back ${stored.byteLength}; ${difference}.`);
    }
  });
}

const byteForByte: Check<Subject> = {
  id: 'byte-for-byte',
  title: 'write stores the payload byte for byte',
  run: (subject) => expectRoundTrip('byte-for-byte', subject, sampleBytes(), 'a payload of every byte value and UTF-8 text'),
};

const emptyPayload: Check<Subject> = {
  id: 'empty-payload',
  title: 'write stores an empty payload',
  run: (subject) => expectRoundTrip('empty-payload', subject, new Uint8Array(0), 'an empty payload'),
};

const largePayload: Check<Subject> = {
  id: 'large-payload',
  title: 'write stores a large payload',
  run: (subject) => expectRoundTrip('large-payload', subject, patternBytes(subject.largePayloadBytes), `a ${subject.largePayloadBytes}-byte payload`),
};

/** Fails the aborted-signal check when a write rejected but stored the payload anyway. */
async function expectNothingStored(subject: Subject, scenario: DestinationScenario): Promise<void> {
  const stored = await readBack('aborted-signal', scenario, subject.callTimeoutMs);
  if (stored !== undefined && firstDifference(sampleBytes(), stored) === undefined) {
    throw new ConformanceError('aborted-signal', 'write rejected but stored the payload anyway although its signal was already aborted; check signal.throwIfAborted() before writing.');
  }
}

/** The destination checks, in the order they run. */
export const destinationChecks: ReadonlyArray<Check<Subject>> = [
  byteForByte,
  emptyPayload,
  largePayload,
  abortedSignalCheck(driver, expectNothingStored),
  abortMidCallCheck(driver),
  transientRetryableCheck(driver),
  closeBeforeUseCheck(driver),
  closeAfterUseCheck(driver),
  ...hygieneChecks<Subject>(driver.verb, (subject) => exercise(driver, subject)),
];

function subjectOf(options: DestinationConformanceOptions): Subject {
  return { ...withBounds(options), largePayloadBytes: options.largePayloadBytes ?? 8 * 1024 * 1024 };
}

/** Runs the destination checks, or those whose ids are in `only`, and returns one result per check; never throws. */
export function checkDestination(options: DestinationConformanceOptions, only?: ReadonlyArray<string>): Promise<CheckResult[]> {
  return runChecks(destinationChecks, subjectOf(options), only);
}

/** Registers the destination checks as tests of vitest or `node:test`: pass that runner's `describe` and `it`. */
export function describeDestinationConformance(options: DestinationConformanceOptions, registrar: TestRegistrar): void {
  registerChecks(`destination conformance: ${options.name}`, destinationChecks, subjectOf(options), registrar);
}
