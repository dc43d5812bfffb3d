#!/usr/bin/env node
/** Command-line entry point: `caring-community-fhir <command> [args]`. Each command is a function returning an exit code. */
import { runValidate, USAGE as VALIDATE_USAGE, type CliIo } from './validate.js';

const commands: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  validate: runValidate,
};

const USAGE = `Usage: caring-community-fhir <command> [options]

Commands:
  validate   validate FHIR R4 JSON resources against base R4 and profiles

${VALIDATE_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), stderrIsTty: Boolean(process.stderr.isTTY) };
  if (name === '--help' || name === '-h') {
    io.stdout(USAGE + '\n');
    return 0;
  }
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    io.stderr(`${name ? `error: unknown command '${name}'\n` : ''}${USAGE}\n`);
    return 2;
  }
  return command(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
