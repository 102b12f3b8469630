// A real OpenID provider (the npm package oidc-provider) for Mailroom's OAuth2 tests, on 127.0.0.1 only.
// Started by scripts/lib/oidc.sh; everything it needs comes from the environment:
//
//   MR_OIDC_PORT          port to listen on (127.0.0.1)
//   MR_OIDC_LOG           file that gets one JSON line per request: method, path, grant_type, status
//   MR_OIDC_ACCESS_TTL    access token lifetime in seconds (short, so that tests see refreshes)
//   MR_OIDC_CLIENT_SECRET secret of the "mailroom" client (device code, authorization code + PKCE, refresh,
//                         client credentials)
//   MR_OIDC_DOVECOT_SECRET secret of the "dovecot" client, which may only introspect tokens
//   MR_OIDC_REDIRECT_URIS space-separated redirect URIs of the "mailroom" client
//   MR_OIDC_TOKENS        ledger: every token the token endpoint hands out (access, refresh, id), one
//                         "kind<TAB>token" line each, for the suite's secret scan (tests/Mailroom.SecretScan.Tests)
//
// Logins go through the provider's own development interactions (any login name, any password; the login
// name becomes the subject), so a test can drive them over HTTP. Refresh tokens are issued to every client
// allowed the refresh_token grant and rotated on every use, as Microsoft does. State is in memory: a restart
// forgets every grant.
import { appendFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    console.error(`oidc test provider: ${name} is required`);
    process.exit(2);
  }
  return value;
};

const port = Number(env('MR_OIDC_PORT'));
const log = env('MR_OIDC_LOG');
const ledger = env('MR_OIDC_TOKENS');
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'mailroom',
      client_secret: env('MR_OIDC_CLIENT_SECRET'),
      // client_credentials: application permissions (Microsoft Graph for a whole tenant), no user and no refresh token.
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      redirect_uris: env('MR_OIDC_REDIRECT_URIS').split(' ').filter(Boolean),
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      // Dovecot's oauth2 passdb: introspection only (client_secret_basic, credentials in its URL).
      client_id: 'dovecot',
      client_secret: env('MR_OIDC_DOVECOT_SECRET'),
      grant_types: [],
      response_types: [],
      redirect_uris: [],
    },
  ],
  features: {
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
    clientCredentials: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: true },
  },
  scopes: ['openid', 'offline_access', 'email'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  ttl: {
    AccessToken: Number(env('MR_OIDC_ACCESS_TTL', '60')),
    RefreshToken: 24 * 60 * 60,
    DeviceCode: 10 * 60,
    Interaction: 10 * 60,
    Session: 60 * 60,
    Grant: 24 * 60 * 60,
    AuthorizationCode: 60,
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => true,
  pkce: { required: () => true },
  // A login name that is an address is the account's address (other domains, for the console's sign-in rule);
  // else the address is LOGIN@mailroom.test. A login starting with "unverified" has an address the provider did not
  // verify (email_verified false), as the console's single sign-on must refuse.
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        const email = id.includes('@') ? id : `${id}@mailroom.test`;
        return { sub: id, email, email_verified: !id.startsWith('unverified') };
      },
    };
  },
  cookies: { keys: ['mailroom-test-only-cookie-key'] },
});

// One line per request, written after the provider answered: the tests count token-endpoint calls
// (refreshes) and introspections (each is one login attempt at Dovecot) from this file.
provider.use(async (ctx, next) => {
  await next();
  const line = {
    at: new Date().toISOString(),
    method: ctx.method,
    path: ctx.path,
    grant_type: ctx.oidc?.params?.grant_type ?? null,
    client_id: ctx.oidc?.client?.clientId ?? null,
    status: ctx.status,
  };
  appendFileSync(log, `${JSON.stringify(line)}\n`);
  // Every token issued, whatever the grant: the secret scan looks for each of them in the suite's logs and databases.
  const body = ctx.body;
  if (ctx.path === '/token' && body && typeof body === 'object') {
    const issued = ['access_token', 'refresh_token', 'id_token']
      .filter((kind) => typeof body[kind] === 'string')
      .map((kind) => `${kind}\t${body[kind]}\n`)
      .join('');
    if (issued) appendFileSync(ledger, issued);
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc test provider: ${issuer} (access tokens live ${env('MR_OIDC_ACCESS_TTL', '60')} s)`);
  console.log(`token ledger: ${ledger}`);
  // scripts/lib/oidc.sh restarts a provider whose redirect URIs are not the ones it registers now.
  console.log(`redirect uris: ${env('MR_OIDC_REDIRECT_URIS')}`);
});
