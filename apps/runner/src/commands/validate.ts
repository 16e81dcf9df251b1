import { EXIT_CONFIG, prepare, reportIssues } from './prepare.js';

/** Checks a config without running it and returns the exit status. */
export async function validateCommand(configFile: string): Promise<number> {
  const prepared = await prepare(configFile);
  if (!prepared.ok) {
    reportIssues(configFile, prepared.issues, prepared.secrets);
    return EXIT_CONFIG;
  }
  const count = prepared.specs.length;
  process.stdout.write(`${configFile}: valid, ${count} ${count === 1 ? 'pipeline' : 'pipelines'}.\n`);
  return 0;
}
