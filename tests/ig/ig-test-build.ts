// Builds the guide once per test file into a temporary folder, so test files running in parallel never write the
// same output (the core package cache under build/ is shared; it is created atomically).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIg, type BuildIgResult } from '../../src/ig/build/build-ig.js';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let built: Promise<BuildIgResult> | undefined;

export function buildIgForTest(): Promise<BuildIgResult> {
  built ??= buildIg({ rootDir: ROOT_DIR, igDir: mkdtempSync(path.join(os.tmpdir(), 'ig-test-')), quiet: true });
  return built;
}
