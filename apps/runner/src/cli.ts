#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { parseDuration } from './config/duration.js';
import { findDefaultConfig, noConfigMessage } from './config/find.js';
import { EXIT_CONFIG } from './commands/prepare.js';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './logger.js';
import { VERSION } from './version.js';

const CONFIG_HELP = 'config file, YAML or JSON (default: deltav.yaml, deltav.yml or deltav.json in the current folder)';

const program = new Command()
  .name('deltav')
  .description('Runs periodic data pipelines from a YAML or JSON config.')
  .version(VERSION, '-V, --version', 'print the version and exit')
  .helpOption('-h, --help', 'print this help and exit')
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nDurations are written with a unit: 500ms, 30s, 5m, 1h30m. Sizes too: 512KiB, 64MiB, 1GB.\nRun "deltav <command> --help" for the options of a command.',
  );

program
  .command('run')
  .description('run every pipeline on its schedule until SIGINT or SIGTERM; SIGHUP reloads the config')
  .option('-c, --config <file>', CONFIG_HELP)
  .option('--once', 'run each pipeline once, print a summary and exit: 0 if all succeeded, 1 otherwise')
  .option('--data-dir <folder>', 'keep pipeline state (such as ETags) in <folder>/<pipeline>.state.json so it survives restarts (default: in memory)')
  .option(
    '--shutdown-timeout <duration>',
    'how long a shutdown lets runs in flight finish before aborting them, such as 10s (default: defaults.shutdownTimeout, else 10s)',
    durationArgument,
  )
  .addOption(new Option('--log-level <level>', 'lowest level that is logged').choices(LOG_LEVELS).default('info'))
  .addOption(new Option('--log-format <format>', 'one JSON object per line, or pretty lines (default: pretty on a terminal, else json)').choices(['json', 'pretty']))
  .action(async (options: { config?: string; once?: boolean; dataDir?: string; shutdownTimeout?: number; logLevel: LogLevel; logFormat?: LogFormat }) => {
    const config = await configOrExit(options.config);
    if (config === undefined) return;
    process.exitCode = await runCommand({
      config,
      once: options.once === true,
      logLevel: options.logLevel,
      logFormat: options.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json'),
      dataDir: options.dataDir === undefined ? undefined : resolve(options.dataDir),
      shutdownTimeoutMs: options.shutdownTimeout,
    });
  });

program
  .command('validate')
  .description('check the config and its plugins without running anything; print every problem and exit 2 on any')
  .option('-c, --config <file>', CONFIG_HELP)
  .action(async (options: { config?: string }) => {
    const config = await configOrExit(options.config);
    if (config === undefined) return;
    process.exitCode = await validateCommand(config);
  });

program
  .command('schema')
  .description('print the JSON Schema of the config file, for editors and CI checks')
  .option('-c, --config <file>', 'also describe the options of the plugin packages this config uses')
  .action(async (options: { config?: string }) => {
    process.exitCode = await schemaCommand(options.config);
  });

/** Returns the config file to use, or prints where it looked and sets the exit status. */
async function configOrExit(passed: string | undefined): Promise<string | undefined> {
  if (passed !== undefined) return passed;
  const found = await findDefaultConfig(process.cwd());
  if (found !== undefined) return found;
  process.stderr.write(noConfigMessage(process.cwd()));
  process.exitCode = EXIT_CONFIG;
  return undefined;
}

function durationArgument(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration with a unit, such as 500ms, 10s or 1m.');
  return ms;
}

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`deltav: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
