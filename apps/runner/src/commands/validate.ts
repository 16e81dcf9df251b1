import { EXIT_CONFIG, prepare, reportIssues } from './prepare.js';

/** Checks a config without running it and returns the exit status. */
export async function validateCommand(configFile: string): Promise<number> {
  const prepared = await prepare(configFile, { create: false });
  if (!prepared.ok) {
    reportIssues(configFile, prepared.issues);
    return EXIT_CONFIG;
  }
  const count = prepared.config.pipelines.length;
  process.stdout.write(`${configFile}: valid, ${count} ${count === 1 ? 'pipeline' : 'pipelines'}.\n`);
  return 0;
}
