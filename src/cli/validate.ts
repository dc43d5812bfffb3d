import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { createValidator, hasErrors, type OperationOutcome } from '../validation/index.js';
import { builtGuidePackage } from '../ig/ig-paths.js';

/** Where the command writes; injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is an interactive terminal (the progress bar is drawn only then). */
  stderrIsTty: boolean;
}

export const USAGE = `Usage: caring-community-fhir validate <files or folders...> [--profile <url>]... [--ig <package.tgz|folder>]... [--output json|text]

Validates FHIR R4 JSON resources (.json, Bundles, .ndjson) against base R4 and the given profiles.
  --profile <url>   canonical URL of a profile every resource must conform to (repeatable)
  --ig <path>       FHIR package (.tgz or folder) to load profiles, extensions and value sets from (repeatable);
                    the Caring Community guide's own package is loaded whenever it has been built
  --output json     print the results as JSON on stdout (one entry per resource)
Exit code: 0 all valid, 1 some resource has errors, 2 usage error.`;

interface Options {
  paths: string[];
  profiles: string[];
  igs: string[];
  output: 'text' | 'json';
}

function parseArgs(args: string[]): Options | string {
  const o: Options = { paths: [], profiles: [], igs: [], output: 'text' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string | undefined => args[++i];
    if (a === '--profile' || a === '--ig' || a === '--output') {
      const v = next();
      if (v === undefined) return `${a} needs a value`;
      if (a === '--profile') o.profiles.push(v);
      else if (a === '--ig') o.igs.push(v);
      else if (v === 'json' || v === 'text') o.output = v;
      else return `--output must be json or text, not '${v}'`;
    } else if (a === '--help' || a === '-h') {
      return '';
    } else if (a.startsWith('-')) {
      return `unknown option ${a}`;
    } else {
      o.paths.push(a);
    }
  }
  if (!o.paths.length) return 'no files or folders to validate';
  return o;
}

async function collectFiles(path: string, out: string[]): Promise<void> {
  const info = await stat(path);
  if (info.isDirectory()) {
    for (const name of (await readdir(path)).sort()) {
      const full = join(path, name);
      const s = await stat(full);
      if (s.isDirectory()) await collectFiles(full, out);
      else if (['.json', '.ndjson'].includes(extname(name))) out.push(full);
    }
  } else {
    out.push(path);
  }
}

/** One validated unit: a file, or one line of an ndjson file. */
interface Result {
  file: string;
  line?: number;
  outcome: OperationOutcome;
}

function counts(o: OperationOutcome): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const i of o.issue) {
    if (i.severity === 'error' || i.severity === 'fatal') errors++;
    else if (i.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

function describe(r: Result): string {
  const { errors, warnings } = counts(r.outcome);
  const where = r.line ? `${r.file}:${r.line}` : r.file;
  const head = errors ? `✘ ${where}: ${errors} error(s), ${warnings} warning(s)` : `✔ ${where}: valid${warnings ? `, ${warnings} warning(s)` : ''}`;
  const lines = r.outcome.issue
    .filter((i) => i.severity !== 'information')
    .map((i) => `    ${i.severity.padEnd(7)} ${i.expression?.[0] ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`);
  return [head, ...lines].join('\n');
}

/** `validate` command (FHIR R4 §5.1 validation of resources): returns the process exit code. */
export async function runValidate(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    if (parsed) io.stderr(`error: ${parsed}\n`);
    io.stderr(USAGE + '\n');
    return parsed ? 2 : 0;
  }
  const files: string[] = [];
  for (const p of parsed.paths) {
    try {
      await collectFiles(p, files);
    } catch {
      io.stderr(`error: cannot read ${p}\n${USAGE}\n`);
      return 2;
    }
  }
  let validator;
  try {
    // The guide's own profiles are always known (when built); --ig adds an integrator's packages.
    const guide = builtGuidePackage();
    validator = await createValidator({ packages: [...(guide ? [guide] : []), ...parsed.igs] });
  } catch (e) {
    io.stderr(`error: cannot load implementation guide: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const bar = io.stderrIsTty && files.length > 20 ? new SingleBar({ stream: process.stderr, clearOnComplete: true }, Presets.shades_classic) : undefined;
  bar?.start(files.length, 0);
  const results: Result[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (extname(file) === '.ndjson') {
      text.split('\n').forEach((line, i) => {
        if (line.trim()) results.push({ file, line: i + 1, outcome: validator.validate(line, { profiles: parsed.profiles }) });
      });
    } else {
      results.push({ file, outcome: validator.validate(text, { profiles: parsed.profiles }) });
    }
    bar?.increment();
  }
  bar?.stop();
  const invalid = results.filter((r) => hasErrors(r.outcome)).length;
  if (parsed.output === 'json') {
    io.stdout(JSON.stringify({ valid: results.length - invalid, invalid, results }, null, 2) + '\n');
  } else {
    for (const r of results) io.stdout(describe(r) + '\n');
    io.stdout(`\n${results.length} resource(s) checked: ${results.length - invalid} valid, ${invalid} with errors\n`);
  }
  return invalid ? 1 : 0;
}
