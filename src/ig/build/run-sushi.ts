// Runs SUSHI in-process, offline, with snapshots: the equivalent of `sushi build -s` against a project-local FHIR
// package cache. In-process (not the bin) because the bin would try to fetch SUSHI's "automatic dependencies"
// (hl7.fhir.uv.tools, hl7.terminology, hl7.fhir.uv.extensions at version `latest`) from the network; this guide only
// depends on core R4, so they are dropped before loading.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fhirdefs, sushiExport, utils } from 'fsh-sushi';

export interface SushiMessage {
  message: string;
  file?: string;
  line?: number;
}

/** The parts of sushi-config.yaml the package and the pages need (SUSHI leaves them unused with FSHOnly). */
export interface IgConfig {
  id: string;
  canonical: string;
  version: string;
  fhirVersion: string;
  title: string;
  description: string;
  publisher: string;
  contact: unknown[];
  jurisdiction: unknown[];
  license: string;
  status: string;
}

export interface SushiResult {
  config: IgConfig;
  /** Folder SUSHI wrote the resources to (`<outDir>/fsh-generated/resources`). */
  resourcesDir: string;
  errors: SushiMessage[];
  warnings: SushiMessage[];
}

/** Refuses every download: the build must work without the network and never reach a registry. */
class OfflineClient {
  // The loader asks to resolve every version; a concrete one resolves to itself, `latest` or `4.0.x` would need
  // the registry.
  resolveVersion(name: string, version: string): Promise<string> {
    if (/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) return Promise.resolve(version);
    return Promise.reject(new Error(`offline build: cannot resolve ${name}#${version} without a registry`));
  }
  download(name: string, version: string): Promise<Readable> {
    return Promise.reject(new Error(`offline build: cannot download ${name}#${version}`));
  }
  downloadCurrentBuild(name: string): Promise<Readable> {
    return Promise.reject(new Error(`offline build: cannot download current build of ${name}`));
  }
  getCurrentBuildDate(name: string): Promise<string> {
    return Promise.reject(new Error(`offline build: no current build date for ${name}`));
  }
}

type PackageCacheOverride = NonNullable<NonNullable<Parameters<typeof fhirdefs.createFHIRDefinitions>[0]>['packageCache']>;

/**
 * SUSHI's own package-cache class, loaded from SUSHI's dependencies so it is the exact version SUSHI expects. It is
 * given the project's cache folder explicitly: SUSHI would otherwise use os.homedir(), which a parent process (or
 * jest's per-test process.env) cannot redirect reliably.
 */
function projectPackageCache(packagesDir: string): PackageCacheOverride {
  const requireFromSushi = createRequire(createRequire(import.meta.url).resolve('fsh-sushi'));
  const loader = requireFromSushi('fhir-package-loader') as { DiskBasedPackageCache: new (cachePath: string) => PackageCacheOverride };
  return new loader.DiskBasedPackageCache(packagesDir);
}

function toMessages(list: { message: string; location?: { startLine?: number }; input?: string }[]): SushiMessage[] {
  return list.map((m) => ({ message: m.message, file: m.input, line: m.location?.startLine }));
}

/**
 * Compiles the SUSHI project in `projectDir` (sushi-config.yaml + input/fsh) into `outDir`, using the FHIR package
 * cache under `fhirHome/.fhir/packages`.
 */
export async function runSushi(projectDir: string, outDir: string, fhirHome: string, quiet = false): Promise<SushiResult> {
  // Silence only the console transport: SUSHI counts and tracks errors in the logger's format, which still runs.
  const transports = utils.logger.transports;
  const wasSilent = transports.map((t) => t.silent ?? false);
  if (quiet) transports.forEach((t) => (t.silent = true));
  utils.AUTOMATIC_DEPENDENCIES.splice(0, utils.AUTOMATIC_DEPENDENCIES.length);
  utils.stats.reset();
  utils.errorsAndWarnings.reset();
  utils.errorsAndWarnings.shouldTrack = true;
  const ignoreFile = path.join(projectDir, 'sushi-ignoreWarnings.txt');
  if (existsSync(ignoreFile)) utils.setIgnoredWarnings(readFileSync(ignoreFile, 'utf8'));
  try {
    const input = path.join(projectDir, 'input', 'fsh');
    const config = utils.readConfig(projectDir);
    const tank = utils.fillTank(utils.getRawFSHes(input), config);
    tank.checkDuplicateNameEntities();
    const offline = new OfflineClient();
    const defs = await fhirdefs.createFHIRDefinitions({
      packageCache: projectPackageCache(path.join(fhirHome, '.fhir', 'packages')),
      registryClient: offline,
      currentBuildClient: offline,
    });
    await utils.loadExternalDependencies(defs, config);
    defs.optimize();
    const outPackage = sushiExport.exportFHIR(tank, defs);
    utils.writeFHIRResources(outDir, outPackage, defs, true);
    return {
      config: {
        id: config.id ?? '',
        canonical: config.canonical,
        version: config.version ?? '',
        fhirVersion: config.fhirVersion[0] ?? '4.0.1',
        title: config.title ?? '',
        description: config.description ?? '',
        publisher: config.publisher ?? '',
        contact: config.contact ?? [],
        jurisdiction: config.jurisdiction ?? [],
        license: config.license ?? '',
        status: config.status ?? 'draft',
      },
      resourcesDir: path.join(outDir, 'fsh-generated', 'resources'),
      errors: toMessages(utils.errorsAndWarnings.errors),
      warnings: toMessages(utils.errorsAndWarnings.warnings),
    };
  } finally {
    utils.errorsAndWarnings.shouldTrack = false;
    transports.forEach((t, i) => (t.silent = wasSilent[i]));
  }
}
