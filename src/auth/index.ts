/** The authorization layer's public surface: the server factory, bearer verification and the shared scope parser. */
export { createAuthServer, type AuthServer, type AuthServerOptions } from './auth-server.js';
export { bearerVerifier, wwwAuthenticate, type BearerResult, type BearerFailure } from './authenticate.js';
export type { PatientDirectory } from './interaction-routes.js';
export type { PatientChoice } from './pages.js';
export { parseScopes, parseScope, isKnownScope, covers, scopeAllowed, CONTEXT_SCOPES } from './scopes.js';
