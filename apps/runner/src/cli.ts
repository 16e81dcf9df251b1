#!/usr/bin/env node
import { Command, Option } from 'commander';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './logger.js';
import { VERSION } from './version.js';

const program = new Command()
  .name('deltav')
  .description('Runs periodic data pipelines from a YAML or JSON config.')
  .version(VERSION, '-V, --version', 'print the version and exit')
  .showHelpAfterError();

program
  .command('run')
  .description('run every pipeline of the config on its schedule until SIGINT or SIGTERM')
  .requiredOption('-c, --config <file>', 'config file (YAML or JSON)')
  .option('--once', 'run each pipeline once, print a summary and exit: 0 if all succeeded, 1 otherwise')
  .addOption(new Option('--log-level <level>', 'lowest level that is logged').choices(LOG_LEVELS).default('info'))
  .addOption(new Option('--log-format <format>', 'log output: one JSON object per line, or pretty lines').choices(['json', 'pretty']))
  .action(async (options: { config: string; once?: boolean; logLevel: LogLevel; logFormat?: LogFormat }) => {
    process.exitCode = await runCommand({
      config: options.config,
      once: options.once === true,
      logLevel: options.logLevel,
      logFormat: options.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json'),
    });
  });

program
  .command('validate')
  .description('check the config and its plugins without running anything; exits 2 on any problem')
  .requiredOption('-c, --config <file>', 'config file (YAML or JSON)')
  .action(async (options: { config: string }) => {
    process.exitCode = await validateCommand(options.config);
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`deltav: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
