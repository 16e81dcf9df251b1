export { CounterSource } from './counter-source.js';
export { counterSourceOptionsSchema, type CounterSourceOptions } from './options.js';
export { counterSource } from './plugin.js';
