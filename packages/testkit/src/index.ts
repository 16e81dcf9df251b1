export type { CheckBounds } from './bounds.js';
export { assertConformance, type Check, type CheckResult, type TestRegistrar } from './checks.js';
export { createTestContext, type EmittedEvent, type TestContext, type TestContextInit } from './context.js';
export {
  checkDestination,
  describeDestinationConformance,
  destinationChecks,
  type DestinationConformanceOptions,
  type DestinationProvider,
  type DestinationScenario,
  type StoredBytes,
} from './destination-conformance.js';
export { CONFORMANCE_FAILED, ConformanceError } from './errors.js';
export { instantiate } from './instantiate.js';
export {
  checkOptions,
  describeOptionsConformance,
  optionsChecks,
  wrongTypeFor,
  type OptionsConformanceOptions,
  type WrongTypeCase,
} from './options-conformance.js';
export {
  checkSource,
  describeSourceConformance,
  sourceChecks,
  type SourceConformanceOptions,
  type SourceProvider,
  type SourceScenario,
} from './source-conformance.js';
