/**
 * Every setting of the server: one typed schema with its environment variable, default and documentation, validated
 * at start-up with all problems reported at once. The README's configuration table is this list.
 */
export interface Config {
  port: number;
  host: string;
  /** The public base of absolute URLs (links, Location, fullUrl), without trailing slash; default http://HOST:PORT. */
  publicUrl?: string;
  dataDir: string;
  /** A postgres:// URL selects PostgreSQL; empty selects the embedded SQLite database under dataDir. */
  databaseUrl: string;
  production: boolean;
  loadDemoData: boolean;
  maxBodyBytes: number;
  defaultPageSize: number;
  maxPageSize: number;
  maxBundleEntries: number;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** Where the implementation guide's build put its package and pages. */
  igDir: string;
  /** Where `npm run build:app` put the SMART app, served at /smart-app/. */
  appDir: string;
  pgPoolSize: number;
}

interface Setting<K extends keyof Config> {
  key: K;
  env: string;
  doc: string;
  default: (env: Record<string, string | undefined>, partial: Partial<Config>) => Config[K];
  parse: (raw: string) => Config[K] | undefined;
}

const integer = (min: number, max: number) => (raw: string) => (/^\d+$/.test(raw) && +raw >= min && +raw <= max ? Number(raw) : undefined);
const boolean = (raw: string) => (['true', '1', 'yes'].includes(raw) ? true : ['false', '0', 'no'].includes(raw) ? false : undefined);
const text = (raw: string) => raw;

type AnySetting = { [K in keyof Config]-?: Setting<K> }[keyof Config];

export const SETTINGS: AnySetting[] = [
  { key: 'port', env: 'PORT', doc: 'TCP port to listen on (0 picks a free port)', default: () => 8080, parse: integer(0, 65535) },
  { key: 'host', env: 'HOST', doc: 'Interface to listen on', default: () => '127.0.0.1', parse: text },
  {
    key: 'publicUrl',
    env: 'PUBLIC_URL',
    doc: 'Public base URL used in absolute URLs (the FHIR base is PUBLIC_URL/fhir); default http://HOST:PORT',
    default: () => undefined,
    parse: (raw) => (/^https?:\/\/[^\s]+$/.test(raw) ? raw.replace(/\/+$/, '') : undefined),
  },
  { key: 'dataDir', env: 'DATA_DIR', doc: 'Directory of the embedded SQLite database', default: () => './data', parse: text },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    doc: 'postgres:// URL to use PostgreSQL instead of the embedded SQLite store',
    default: () => '',
    parse: (raw) => (raw === '' || /^postgres(ql)?:\/\//.test(raw) ? raw : undefined),
  },
  { key: 'production', env: 'NODE_ENV', doc: "'production' refuses development defaults (secrets, demo data)", default: () => false, parse: (raw) => raw === 'production' },
  { key: 'loadDemoData', env: 'DEMO_DATA', doc: 'Load the demo story into an empty database at start-up', default: (_e, c) => !c.production, parse: boolean },
  { key: 'maxBodyBytes', env: 'MAX_BODY_BYTES', doc: 'Largest request body accepted (413 beyond)', default: () => 16 * 1024 * 1024, parse: integer(1024, 1024 ** 3) },
  { key: 'defaultPageSize', env: 'DEFAULT_PAGE_SIZE', doc: 'Search page size when _count is absent', default: () => 20, parse: integer(1, 1000) },
  { key: 'maxPageSize', env: 'MAX_PAGE_SIZE', doc: 'Largest _count honoured', default: () => 1000, parse: integer(1, 10000) },
  { key: 'maxBundleEntries', env: 'MAX_BUNDLE_ENTRIES', doc: 'Most entries accepted in a batch or transaction', default: () => 10000, parse: integer(1, 1000000) },
  {
    key: 'sqliteSynchronous',
    env: 'SQLITE_SYNCHRONOUS',
    doc: 'SQLite durability: NORMAL survives process crashes, FULL also power loss (slower writes)',
    default: () => 'NORMAL',
    parse: (raw) => (raw === 'NORMAL' || raw === 'FULL' ? raw : undefined),
  },
  { key: 'igDir', env: 'IG_DIR', doc: 'The built implementation guide (npm run build:ig), served at /ig/', default: () => './build/ig', parse: text },
  { key: 'appDir', env: 'SMART_APP_DIR', doc: 'The built SMART app (npm run build:app), served at /smart-app/', default: () => './build/smart-app', parse: text },
  { key: 'pgPoolSize', env: 'PG_POOL_SIZE', doc: 'PostgreSQL connections per server process', default: () => 10, parse: integer(1, 500) },
];

export class ConfigError extends Error {}

/** Reads the configuration from an environment; throws one error listing every invalid setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const config: Partial<Config> = {};
  const problems: string[] = [];
  for (const setting of SETTINGS) {
    const raw = env[setting.env];
    if (raw === undefined || raw === '') {
      (config as Record<string, unknown>)[setting.key] = setting.default(env, config);
      continue;
    }
    const value = setting.parse(raw);
    if (value === undefined) problems.push(`${setting.env}=${raw}: ${setting.doc}`);
    else (config as Record<string, unknown>)[setting.key] = value;
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return config as Config;
}
