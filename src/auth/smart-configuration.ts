import { CLIENT_AUTH_ALGS } from './provider.js';
import { CONTEXT_SCOPES } from './scopes.js';

/**
 * What works here, and only that (conformance.html#capabilities). Each entry is exercised by tests/auth.
 * Not listed: context-ehr-* beyond patient and encounter, context-standalone-encounter, smart-app-state.
 */
export const CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'authorize-post',
  'client-public',
  'client-confidential-symmetric',
  'client-confidential-asymmetric',
  'context-passthrough-banner',
  'context-passthrough-style',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'permission-offline',
  'permission-online',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
  'sso-openid-connect',
];

export interface AuthEndpoints {
  issuer: string;
  authorize: string;
  token: string;
  introspect: string;
  revoke: string;
  jwks: string;
  launch: string;
}

export function authEndpoints(issuer: string): AuthEndpoints {
  return {
    issuer,
    authorize: `${issuer}/authorize`,
    token: `${issuer}/token`,
    introspect: `${issuer}/token/introspection`,
    revoke: `${issuer}/token/revocation`,
    jwks: `${issuer}/jwks`,
    launch: `${issuer}/launch`,
  };
}

/** The document served at [base]/.well-known/smart-configuration (conformance.html#metadata), all URLs absolute. */
export function smartConfiguration(endpoints: AuthEndpoints): Record<string, unknown> {
  return {
    issuer: endpoints.issuer,
    jwks_uri: endpoints.jwks,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    introspection_endpoint: endpoints.introspect,
    revocation_endpoint: endpoints.revoke,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: CLIENT_AUTH_ALGS,
    scopes_supported: [
      ...CONTEXT_SCOPES,
      'patient/*.cruds',
      'patient/*.rs',
      'patient/*.read',
      'patient/*.write',
      'user/*.cruds',
      'user/*.rs',
      'user/*.read',
      'user/*.write',
      'system/*.cruds',
      'system/*.rs',
      'system/*.read',
    ],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: CAPABILITIES,
  };
}
