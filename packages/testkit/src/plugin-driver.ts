import { closeQuietly, type Closable } from './lifecycle.js';

/** The options field that provides a check's scenario. */
export type ScenarioRole = 'create' | 'stalled' | 'transientFailure';

/**
 * The adapter through which the shared checks drive one kind of plugin. The source
 * checks call fetch, and the destination checks call write.
 */
export interface PluginDriver<Subject, Scenario extends { started?: Promise<unknown> }> {
  /** The call under test, as check titles and messages name it. */
  readonly verb: 'fetch' | 'write';
  /** Creates a fresh scenario with the provider that `subject` gives for `role`. */
  provide(subject: Subject, role: ScenarioRole): Promise<Scenario>;
  /** Returns the plugin of `scenario`, whose `close()` the checks call. */
  plugin(scenario: Scenario): Closable;
  /**
   * Starts one call with sample input, the scenario's run context and `signal` when
   * given. A synchronous throw becomes a rejection.
   */
  call(scenario: Scenario, signal?: AbortSignal): Promise<unknown>;
}

/** Runs `use` with a fresh scenario for `role`, then closes its plugin quietly. */
export async function withScenario<Subject extends { callTimeoutMs: number }, Scenario extends { started?: Promise<unknown> }>(
  driver: PluginDriver<Subject, Scenario>,
  subject: Subject,
  role: ScenarioRole,
  use: (scenario: Scenario) => Promise<void>,
): Promise<void> {
  const scenario = await driver.provide(subject, role);
  try {
    await use(scenario);
  } finally {
    await closeQuietly(driver.plugin(scenario), subject.callTimeoutMs);
  }
}
