import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

/** Refresh a token this long before it expires, or after half its life when it lives less. */
const REFRESH_MARGIN_MS = 5 * 60_000;

interface Entry {
  token?: AccessToken;
  refreshAt: number;
  pending?: Promise<AccessToken | null>;
}

/**
 * One token cache for every client of a run. Each SDK client's pipeline keeps its own token, so
 * without this two clients ask the login for two tokens — with the Azure CLI, two `az` processes of
 * a second or more each. Here a token is fetched once per scope and shared until it nears its
 * expiry; callers that ask while a fetch is under way wait for that fetch. The token handed out
 * carries `refreshAfterTimestamp`, so each pipeline comes back for a new one when this cache
 * would fetch it, not later.
 *
 * A claims challenge (continuous access evaluation) always goes to the login, as the challenge
 * means the cached token was refused.
 */
export class SharedTokenCache implements TokenCredential {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly login: TokenCredential,
    private readonly now: () => number = Date.now,
  ) {}

  getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken | null> {
    if (options.claims) return this.login.getToken(scopes, options);
    const key = JSON.stringify([[scopes].flat().sort(), options.tenantId ?? '']);
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { refreshAt: 0 }));
    if (entry.token && this.now() < entry.refreshAt) return Promise.resolve(entry.token);
    if (entry.pending) return entry.pending;

    const fetchedAt = this.now();
    // One caller's abort must not fail the others waiting on the same fetch.
    const shared = { ...options };
    delete shared.abortSignal;
    const current = entry;
    current.pending = this.login
      .getToken(scopes, shared)
      .then((token) => {
        if (!token) return null;
        const life = token.expiresOnTimestamp - fetchedAt;
        const refreshAt = Math.min(
          token.refreshAfterTimestamp ?? Infinity,
          token.expiresOnTimestamp - Math.min(REFRESH_MARGIN_MS, Math.max(0, life) / 2),
        );
        current.token = { ...token, refreshAfterTimestamp: refreshAt };
        current.refreshAt = refreshAt;
        return current.token;
      })
      .finally(() => {
        current.pending = undefined;
      });
    return current.pending;
  }
}
