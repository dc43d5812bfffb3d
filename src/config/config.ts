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
  /** Log every request (method, URL, status, duration), not only failures. */
  accessLog: boolean;
  maxBodyBytes: number;
  defaultPageSize: number;
  maxPageSize: number;
  maxBundleEntries: number;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** Where the implementation guide's build put its package and pages. */
  igDir: string;
  /** Where `npm run build:app` put the SMART app, served at /smart-app/. */
  appDir: string;
  /** Further FHIR packages (.tgz or folders) whose profiles the server validates against and serves. */
  fhirPackages: string[];
  pgPoolSize: number;
  /** JSON file registering OAuth clients and sign-in accounts (docs/authorization.md); {{BASE_URL}} is replaced. */
  clientsFile: string;
  /** Private JWKS (JSON) signing ID tokens; empty: generated and kept in the database (refused in production). */
  authJwks: string;
  /** Comma-separated secrets signing the sign-in cookies; empty: generated (refused in production). */
  authCookieKeys: string;
  accessTokenTtl: number;
  backendTokenTtl: number;
  refreshTokenTtl: number;
  launchTtl: number;
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
  { key: 'accessLog', env: 'ACCESS_LOG', doc: 'Log every request (method, URL, status, milliseconds); failures are always logged', default: () => false, parse: boolean },
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
  {
    key: 'fhirPackages',
    env: 'FHIR_PACKAGES',
    doc: 'Comma-separated FHIR packages (.tgz or folders) to load besides the guide: their profiles, value sets and search parameters',
    default: () => [],
    parse: (raw) => raw.split(',').map((p) => p.trim()).filter(Boolean),
  },
  { key: 'igDir', env: 'IG_DIR', doc: 'The built implementation guide (npm run build:ig), served at /ig/', default: () => './build/ig', parse: text },
  { key: 'appDir', env: 'SMART_APP_DIR', doc: 'The built SMART app (npm run build:app), served at /smart-app/', default: () => './build/smart-app', parse: text },
  { key: 'pgPoolSize', env: 'PG_POOL_SIZE', doc: 'PostgreSQL connections per server process', default: () => 10, parse: integer(1, 500) },
  {
    key: 'clientsFile',
    env: 'CLIENTS_FILE',
    doc: 'JSON file of OAuth clients and sign-in accounts; default config/clients.demo.json outside production, none in production',
    default: (_e, c) => (c.production ? '' : 'config/clients.demo.json'),
    parse: text,
  },
  {
    key: 'authJwks',
    env: 'AUTH_JWKS',
    doc: 'Private JWKS (JSON, with an RSA key for RS256) signing ID tokens; required in production',
    default: () => '',
    parse: (raw) => {
      try {
        const parsed = JSON.parse(raw) as { keys?: unknown };
        return Array.isArray(parsed.keys) && parsed.keys.length > 0 ? raw : undefined;
      } catch {
        return undefined;
      }
    },
  },
  {
    key: 'authCookieKeys',
    env: 'AUTH_COOKIE_KEYS',
    doc: 'Comma-separated secrets (32+ characters each) signing sign-in cookies; required in production',
    default: () => '',
    parse: (raw) => (raw.split(',').every((k) => k.trim().length >= 32) ? raw : undefined),
  },
  { key: 'accessTokenTtl', env: 'ACCESS_TOKEN_TTL', doc: 'Lifetime in seconds of access tokens for apps (SMART: at most one hour)', default: () => 3600, parse: integer(1, 3600) },
  { key: 'backendTokenTtl', env: 'BACKEND_TOKEN_TTL', doc: 'Lifetime in seconds of SMART Backend Services tokens (at most 300)', default: () => 300, parse: integer(1, 300) },
  { key: 'refreshTokenTtl', env: 'REFRESH_TOKEN_TTL', doc: 'Lifetime in seconds of offline refresh tokens', default: () => 30 * 24 * 3600, parse: integer(300, 365 * 24 * 3600) },
  { key: 'launchTtl', env: 'LAUNCH_TTL', doc: 'Lifetime in seconds of an EHR launch value', default: () => 300, parse: integer(10, 3600) },
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
  // SMART App Launch requires TLS for every exchange (app-launch.html#security-and-privacy-considerations): in
  // production the public base must be https, with TLS terminated here or at a proxy in front.
  if (config.production && !config.publicUrl?.startsWith('https://')) {
    problems.push('PUBLIC_URL must be an https:// URL when NODE_ENV=production (SMART requires TLS; terminate it at a proxy)');
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return config as Config;
}
