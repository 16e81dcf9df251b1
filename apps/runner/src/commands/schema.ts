import { configJsonSchema } from '../schema-json.js';

/** Prints the config's JSON Schema to standard output. */
export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return 0;
}
