import { expectResolves, settleWithin, type CheckBounds } from './bounds.js';
import type { Check } from './checks.js';
import { ConformanceError } from './errors.js';
import { abortReason, closeQuietly, expectAbortRejection, expectIdempotentClose, expectRetryableRejection, observed, waitUntilStarted } from './lifecycle.js';
import { withScenario, type PluginDriver } from './plugin-driver.js';

/** The options fields that the shared checks read. */
type LifecycleSubject = Required<CheckBounds> & { stalled?: unknown; transientFailure?: unknown };

type Scenario = { started?: Promise<unknown> };

/**
 * Builds the check that a call rejects when its signal is already aborted. `verify` runs
 * once the call rejected with the abort, such as to make sure nothing was stored.
 */
export function abortedSignalCheck<Subject extends LifecycleSubject, S extends Scenario>(
  driver: PluginDriver<Subject, S>,
  verify?: (subject: Subject, scenario: S) => Promise<void>,
): Check<Subject> {
  const { verb } = driver;
  return {
    id: 'aborted-signal',
    title: `${verb} rejects when the signal is already aborted`,
    run: (subject) =>
      withScenario(driver, subject, 'create', async (scenario) => {
        const reason = abortReason(`before ${verb}`);
        const outcome = await settleWithin(driver.call(scenario, AbortSignal.abort(reason)), subject.abortWithinMs);
        expectAbortRejection('aborted-signal', verb, outcome, reason, subject.abortWithinMs, 'was already aborted');
        await verify?.(subject, scenario);
      }),
  };
}

/** Builds the check that a call in the stalled scenario rejects soon after its signal aborts. */
export function abortMidCallCheck<Subject extends LifecycleSubject, S extends Scenario>(driver: PluginDriver<Subject, S>): Check<Subject> {
  const { verb } = driver;
  const id = `abort-mid-${verb}`;
  return {
    id,
    title: `${verb} rejects soon after an abort mid-${verb}`,
    skipReason: (subject) => (subject.stalled === undefined ? 'no stalled scenario given' : undefined),
    run: (subject) =>
      withScenario(driver, subject, 'stalled', async (scenario) => {
        const controller = new AbortController();
        const calling = observed(driver.call(scenario, controller.signal));
        await waitUntilStarted(id, scenario.started, subject.callTimeoutMs);

        const early = await settleWithin(calling, 0);
        if (early.status !== 'pending') {
          throw new ConformanceError(id, `${verb} ${early.status === 'fulfilled' ? 'resolved' : 'rejected'} before the abort; the stalled scenario must keep ${verb} pending until its signal aborts.`);
        }

        const reason = abortReason(`mid-${verb}`);
        controller.abort(reason);
        const outcome = await settleWithin(calling, subject.abortWithinMs);
        expectAbortRejection(id, verb, outcome, reason, subject.abortWithinMs, `aborted mid-${verb}`);
      }),
  };
}

/** Builds the check that a call in the transientFailure scenario rejects with an error marked retryable. */
export function transientRetryableCheck<Subject extends LifecycleSubject, S extends Scenario>(driver: PluginDriver<Subject, S>): Check<Subject> {
  const { verb } = driver;
  return {
    id: 'transient-retryable',
    title: `${verb} marks transient failures retryable`,
    skipReason: (subject) => (subject.transientFailure === undefined ? 'no transientFailure scenario given' : undefined),
    run: (subject) =>
      withScenario(driver, subject, 'transientFailure', async (scenario) => {
        const outcome = await settleWithin(driver.call(scenario), subject.callTimeoutMs);
        expectRetryableRejection('transient-retryable', verb, outcome, subject.callTimeoutMs);
      }),
  };
}

/** Builds the check that `close()` succeeds twice on a plugin that was never called. */
export function closeBeforeUseCheck<Subject extends LifecycleSubject, S extends Scenario>(driver: PluginDriver<Subject, S>): Check<Subject> {
  return {
    id: 'close-before-use',
    title: 'close() is safe before first use and idempotent',
    run: async (subject) => {
      const scenario = await driver.provide(subject, 'create');
      await expectIdempotentClose('close-before-use', driver.plugin(scenario), subject.callTimeoutMs, `before any ${driver.verb}`);
    },
  };
}

/** Builds the check that `close()` succeeds twice after one call. */
export function closeAfterUseCheck<Subject extends LifecycleSubject, S extends Scenario>(driver: PluginDriver<Subject, S>): Check<Subject> {
  const { verb } = driver;
  return {
    id: 'close-after-use',
    title: `close() after a ${verb} is idempotent`,
    run: async (subject) => {
      const scenario = await driver.provide(subject, 'create');
      try {
        await expectResolves('close-after-use', verb, () => driver.call(scenario), subject.callTimeoutMs);
      } catch (error) {
        await closeQuietly(driver.plugin(scenario), subject.callTimeoutMs);
        throw error;
      }
      await expectIdempotentClose('close-after-use', driver.plugin(scenario), subject.callTimeoutMs, `after a ${verb}`);
    },
  };
}

/** Drives every scenario through a call, an abort and close, ignoring outcomes: the hygiene checks judge side effects. */
export async function exercise<Subject extends LifecycleSubject, S extends Scenario>(driver: PluginDriver<Subject, S>, subject: Subject): Promise<void> {
  const { verb } = driver;
  await withScenario(driver, subject, 'create', async (scenario) => {
    await settleWithin(driver.call(scenario), subject.callTimeoutMs);
    await settleWithin(driver.call(scenario, AbortSignal.abort(abortReason(`before ${verb}`))), subject.abortWithinMs);
  });

  if (subject.stalled !== undefined) {
    await withScenario(driver, subject, 'stalled', async (scenario) => {
      const controller = new AbortController();
      const calling = observed(driver.call(scenario, controller.signal));
      await waitUntilStarted('hygiene', scenario.started, subject.callTimeoutMs).catch(() => {});
      controller.abort(abortReason(`mid-${verb}`));
      await settleWithin(calling, subject.abortWithinMs);
    });
  }

  if (subject.transientFailure !== undefined) {
    await withScenario(driver, subject, 'transientFailure', async (scenario) => {
      await settleWithin(driver.call(scenario), subject.callTimeoutMs);
    });
  }
}
