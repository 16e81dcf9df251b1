import { Ajv2020 } from 'ajv/dist/2020.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { destinationSupportsAppend } from './features.js';
import { spawnCli, tempFolder } from './helpers.js';

const examples = fileURLToPath(new URL('../examples/', import.meta.url));

async function printedSchema(): Promise<Record<string, unknown>> {
  const result = await spawnCli(['schema'], await tempFolder()).finished;
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('deltav schema', () => {
  it('validates every example config', async () => {
    const validate = new Ajv2020({ allErrors: true }).compile(await printedSchema());
    const files = (await readdir(examples)).filter((file) => /\.(ya?ml|json)$/.test(file));

    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const valid = validate(parse(await readFile(join(examples, file), 'utf8')));
      if (file === 'http-to-ndjson.yaml' && !destinationSupportsAppend()) {
        // NOTE: until the built-in file destination has append mode, its options reject `mode` and `rotation`.
        expect(validate.errors?.map((error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`)).toEqual([
          '/pipelines/0/destination/with must NOT have additional properties {"additionalProperty":"mode"}',
          '/pipelines/0/destination/with must NOT have additional properties {"additionalProperty":"rotation"}',
          '/pipelines/0/destination must match "then" schema {"failingKeyword":"then"}',
        ]);
        continue;
      }
      expect({ file, errors: validate.errors ?? null }).toEqual({ file, errors: null });
    }
  });

  it('rejects unknown keys and bad values', async () => {
    const validate = new Ajv2020({ allErrors: true }).compile(await printedSchema());
    const config = {
      pipelines: [
        {
          name: 'p',
          intervall: '5s',
          timeout: '5 minutes',
          source: { use: 'http', with: { url: 'http://127.0.0.1/', maxBodyBytes: 'big' } },
          destination: { use: 'file', with: {} },
        },
      ],
    };

    expect(validate(config)).toBe(false);
    expect(validate.errors?.map((error) => `${error.instancePath} ${error.keyword}`)).toEqual([
      '/pipelines/0 additionalProperties',
      '/pipelines/0/timeout pattern',
      '/pipelines/0/source/with/maxBodyBytes type',
      '/pipelines/0/source if',
      '/pipelines/0/destination/with required',
      '/pipelines/0/destination if',
    ]);
  });

  it('leaves third-party options free-form', async () => {
    const validate = new Ajv2020().compile(await printedSchema());
    const config = { pipelines: [{ name: 'p', source: { use: '@acme/deltav-source-x', with: { anything: [1, 2] } }, destination: { use: 'file', with: { path: 'x' } } }] };

    expect(validate(config)).toBe(true);
  });
});
