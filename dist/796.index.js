export const id = 796;
export const ids = [796];
export const modules = {

/***/ 626:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ createAppServiceOperations),
/* harmony export */   b: () => (/* binding */ SITES)
/* harmony export */ });
/* harmony import */ var _util_resource_id_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1562);

/** The api-version App Service's docs give for the refresh ("Use Key Vault references"). */
const WEB_API_VERSION = '2022-03-01';
const SITES = ['Microsoft.Web', 'sites'];
/** An app's Key Vault references (WebApps_GetAppSettingsKeyVaultReferences) and their refresh. */
function createAppServiceOperations(rest) {
    const path = (app) => `${(0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_0__/* .resourceId */ .a)(app, ...SITES)}/config/configreferences/appsettings`;
    return {
        async refreshAppKeyVaultReferences(app) {
            await rest(app.subscriptionId).send('POST', `${path(app)}/refresh`, WEB_API_VERSION);
        },
        async appKeyVaultReferences(app) {
            const references = await rest(app.subscriptionId).list(path(app), WEB_API_VERSION);
            return references.map(toReference);
        },
    };
}
function toReference(wire) {
    const p = wire.properties ?? {};
    const reference = { setting: wire.name ?? '' };
    for (const field of [
        'vaultName',
        'secretName',
        'secretVersion',
        'activeVersion',
        'status',
        'details',
    ]) {
        if (p[field])
            reference[field] = p[field];
    }
    return reference;
}


/***/ }),

/***/ 2408:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  M: () => (/* binding */ createArmPort)
});

// EXTERNAL MODULE: ./node_modules/@azure/arm-machinelearning/dist/index.js
var dist = __webpack_require__(4789);
// EXTERNAL MODULE: ./node_modules/@azure/arm-storage/dist/esm/index.js + 73 modules
var esm = __webpack_require__(4203);
// EXTERNAL MODULE: ./src/util/resource-id.ts
var resource_id = __webpack_require__(1562);
// EXTERNAL MODULE: ./src/util/secrets.ts
var secrets = __webpack_require__(4537);
// EXTERNAL MODULE: ./src/azure/app-service.ts
var app_service = __webpack_require__(626);
;// CONCATENATED MODULE: ./src/azure/authorization.ts

const PERMISSIONS_API_VERSION = '2022-04-01';
/** What the login may do at a scope, and who it is (for the access policies of Key Vaults). */
function createAuthorizationOperations(tokens, cloud, rest) {
    return {
        async permissions(scopeId) {
            const subscriptionId = (0,resource_id/* subscriptionOf */.XD)(scopeId);
            const pages = await rest(subscriptionId).list(`${scopeId}/providers/Microsoft.Authorization/permissions`, PERMISSIONS_API_VERSION);
            return pages.map((p) => ({
                actions: p.actions ?? [],
                notActions: p.notActions ?? [],
                dataActions: p.dataActions ?? [],
                notDataActions: p.notDataActions ?? [],
            }));
        },
        async signedInPrincipal() {
            const token = await tokens.getToken(cloud.armScope);
            return token ? principalOfToken(token.token) : undefined;
        },
    };
}
/**
 * The principal an access token names. The payload is read without checking the signature: it is
 * the run's own token, just handed out by the login, and only tells which access policies apply.
 */
function principalOfToken(token) {
    const payload = token.split('.')[1];
    if (!payload)
        return undefined;
    let claims;
    try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    }
    catch {
        return undefined;
    }
    const text = (name) => {
        const value = claims?.[name];
        return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const objectId = text('oid');
    if (!objectId)
        return undefined;
    const tenantId = text('tid');
    // v1 tokens name the application in appid, v2 tokens in azp.
    const applicationId = text('appid') ?? text('azp');
    return {
        objectId,
        ...(tenantId ? { tenantId } : {}),
        ...(applicationId ? { applicationId } : {}),
    };
}

;// CONCATENATED MODULE: ./src/azure/key-vault-lazy.ts
/**
 * The Key Vault operations, loaded on first use: only runs given `key-vaults` call them, and the
 * Key Vault SDK would otherwise be compiled at every run's start.
 */
function lazyKeyVaultOperations(...args) {
    let loaded;
    const operations = () => (loaded ??= Promise.all(/* import() */[__webpack_require__.e(862), __webpack_require__.e(269)]).then(__webpack_require__.bind(__webpack_require__, 4269)).then((m) => m.createKeyVaultOperations(...args)));
    return {
        listVaults: async (...a) => (await operations()).listVaults(...a),
        getVault: async (...a) => (await operations()).getVault(...a),
        listSecretProperties: async (...a) => (await operations()).listSecretProperties(...a),
        getSecret: async (...a) => (await operations()).getSecret(...a),
        setSecret: async (...a) => (await operations()).setSecret(...a),
    };
}

// EXTERNAL MODULE: ./node_modules/@azure/monitor-query-logs/dist/esm/index.js + 11 modules
var dist_esm = __webpack_require__(9534);
// EXTERNAL MODULE: ./src/util/time.ts
var time = __webpack_require__(6043);
;// CONCATENATED MODULE: ./src/azure/metrics.ts


/** Metrics_List (metrics_API.json in Microsoft.Insights, monitor). */
const METRICS_API_VERSION = '2023-10-01';
/** The series a dimension filter returns by default is 10; the dimension has fewer values. */
const TOP = '20';
/**
 * Azure Monitor platform metrics of a resource, through Resource Manager on the pipeline of the
 * other ARM calls. Storage records them always, with no setting: they count requests by the way
 * they were authorised, but cannot tell key1 from key2.
 */
function createMetricsOperations(rest, now = Date.now) {
    return {
        async storageTransactions(accountId, days) {
            const subscriptionId = (0,resource_id/* subscriptionOf */.XD)(accountId);
            const end = now();
            const answer = await rest(subscriptionId).send('GET', `${accountId}/providers/Microsoft.Insights/metrics`, METRICS_API_VERSION, undefined, {
                metricnames: 'Transactions',
                timespan: `${new Date(end - days * time/* DAY_MS */.s).toISOString()}/${new Date(end).toISOString()}`,
                // One data point for the whole window.
                interval: 'FULL',
                aggregation: 'Total',
                $filter: "Authentication eq '*'",
                top: TOP,
            });
            return transactionsOf(answer);
        },
    };
}
/** The totals per Authentication value; a metric the answer lacks or marks as failed throws. */
function transactionsOf(answer) {
    const metric = answer.value?.find((m) => m.name?.value?.toLowerCase() === 'transactions');
    if (!metric)
        throw new Error('The metrics answer has no Transactions metric.');
    if (metric.errorCode && metric.errorCode !== 'Success') {
        throw new Error(`The Transactions metric failed: ${[metric.errorCode, metric.errorMessage].filter(Boolean).join(': ')}`);
    }
    const byAuthentication = {};
    for (const series of metric.timeseries ?? []) {
        const dimension = series.metadatavalues?.find((m) => m.name?.value?.toLowerCase() === 'authentication');
        const name = dimension?.value || 'Unknown';
        const total = (series.data ?? []).reduce((n, point) => n + (point.total ?? 0), 0);
        byAuthentication[name] = (byAuthentication[name] ?? 0) + total;
    }
    return { timespan: answer.timespan ?? '', byAuthentication };
}

;// CONCATENATED MODULE: ./src/azure/logs.ts



/** The api-version of Microsoft.Insights/diagnosticSettings with category groups. */
const DIAGNOSTIC_SETTINGS_API_VERSION = '2021-05-01-preview';
/** How long Log Analytics may work on the query (its default is 180 s). */
const SERVER_TIMEOUT_SECONDS = 120;
/**
 * Diagnostic settings and platform metrics (through Resource Manager, on the pipeline of the other
 * ARM calls) and resource-centric Log Analytics queries (@azure/monitor-query-logs, on the cloud's
 * query API).
 */
function createLogsOperations(tokens, cloud, rest) {
    let client;
    // The client takes its token scope from `credentials.scopes`; it ignores `audience`.
    const logs = () => (client ??= new dist_esm/* LogsQueryClient */.PR(tokens, {
        endpoint: `${cloud.logsEndpoint}/v1`,
        credentials: { scopes: [cloud.logsScope] },
    }));
    return {
        ...createMetricsOperations(rest),
        async diagnosticSettings(resourceId) {
            const subscriptionId = (0,resource_id/* subscriptionOf */.XD)(resourceId);
            const settings = await rest(subscriptionId).list(`${resourceId}/providers/Microsoft.Insights/diagnosticSettings`, DIAGNOSTIC_SETTINGS_API_VERSION);
            return settings.map((s) => ({
                name: s.name ?? '',
                workspaceId: s.properties?.workspaceId || undefined,
                logs: (s.properties?.logs ?? []).map((l) => ({
                    category: l.category ?? undefined,
                    categoryGroup: l.categoryGroup ?? undefined,
                    enabled: l.enabled === true,
                })),
            }));
        },
        async queryResourceLogs(resourceId, query, days) {
            // The API's path is /v1{resourceId}/query; the client adds the slash before the ID itself.
            const result = await logs().queryResource(resourceId.replace(/^\/+/, ''), query, { duration: `P${days}D` }, { serverTimeoutInSeconds: SERVER_TIMEOUT_SECONDS });
            const [tables, partialError] = result.status === dist_esm/* LogsQueryResultStatus */.r9.Success
                ? [result.tables, undefined]
                : [result.partialTables, describePartialError(result.partialError)];
            const table = tables[0];
            const answer = {
                table: {
                    columns: (table?.columnDescriptors ?? []).map((c) => ({
                        name: c.name ?? '',
                        type: c.type ?? '',
                    })),
                    rows: table?.rows ?? [],
                },
            };
            return partialError ? { ...answer, partialError } : answer;
        },
    };
}
/** "PartialError: There were some errors… (inner: the first cause)". */
function describePartialError(error) {
    const text = [error.code, error.message].filter(Boolean).join(': ') || 'a partial error';
    const inner = error.innererror?.message;
    return inner ? `${text} (${inner})` : text;
}

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./src/azure/pacer.ts

/**
 * Paces Resource Manager calls to ARM's throttling, so a large run slows down instead of failing.
 *
 * ARM meters each subscription with token buckets per kind of request — GET reads, DELETE deletes,
 * every other method (POST actions included) writes: one per principal, and a global one that every
 * principal of the subscription draws from (15 times as large) — and answers 429 with Retry-After
 * when one is empty. Each answer says what is left in both
 * (x-ms-ratelimit-remaining-subscription-reads/-writes/-deletes, and the same with -global-). The
 * SDK retries a 429 three times, honouring Retry-After; a run at a fixed concurrency that outruns a
 * bucket gets 429 after 429, and a request that gets four fails the run.
 *
 * The pacer keeps a model of each bucket from those headers: the tokens left as of the last answer,
 * the refill rate measured between answers (the change in what is left plus the requests admitted
 * meanwhile, over the time between them: other principals' use of the global bucket shows as a
 * slower refill), and the requests in flight. A request goes out when both of its buckets' models
 * say a token is there for it; otherwise it waits about as long as the refill takes. After a 429
 * the kind's requests wait out its Retry-After. A bucket whose answers carry no header is never
 * paced. One pacer serves every client of a run, so they share what they learn.
 */
class Pacer {
    now;
    wait;
    buckets = new Map();
    throttled = 0;
    pacedMs = 0;
    constructor(now = Date.now, wait = promises_.setTimeout) {
        this.now = now;
        this.wait = wait;
    }
    /** Waits until the request's buckets have a token for it; returns what to report back. */
    async acquire(method, url) {
        const subscription = /\/subscriptions\/([^/?#]+)/i.exec(url)?.[1]?.toLowerCase();
        if (!subscription)
            return undefined;
        const kind = kindOf(method);
        const buckets = SCOPES.map((scope) => this.bucket(`${subscription}|${kind}|${scope}`, kind));
        const since = this.now();
        for (;;) {
            const at = this.now();
            const waitMs = Math.max(...buckets.map((b) => b.waitMs(at)));
            if (waitMs <= 0)
                break;
            // A model learns only from answers: one that sees no refill (others take it all, or the
            // refill stopped) would wait for ever. After a while with nothing in flight and no
            // Retry-After pending, one request goes and its answer, a 429 at worst, says what is left.
            if (at - since >= PROBE_AFTER_MS && buckets.every((b) => b.idle(at)))
                break;
            const ms = Math.min(waitMs, PROBE_AFTER_MS);
            this.pacedMs += ms;
            await this.wait(ms);
        }
        for (const b of buckets)
            b.inFlight++;
        return { kind, buckets };
    }
    /** Learns from the answer (or the lack of one) to a request `acquire` let through. */
    release(ticket, response) {
        if (!ticket)
            return;
        for (const b of ticket.buckets)
            b.inFlight--;
        if (!response)
            return;
        const now = this.now();
        const throttled = response.status === 429;
        let closedUntil = 0;
        if (throttled) {
            this.throttled++;
            const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
            const seconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : 1;
            closedUntil = now + seconds * 1000;
        }
        ticket.buckets.forEach((bucket, i) => {
            const remaining = Number(response.headers.get(REMAINING[SCOPES[i]][ticket.kind]) ?? NaN);
            if (!throttled) {
                if (Number.isFinite(remaining))
                    bucket.observe(now, remaining, true);
                return;
            }
            bucket.closedUntil = Math.max(bucket.closedUntil, closedUntil);
            // Which bucket was empty: the one that says so, or, when neither says, either may be.
            if (bucket.known)
                bucket.observe(now, Number.isFinite(remaining) ? remaining : 0, false);
        });
    }
    /** Requests answered 429, and milliseconds spent waiting for a token. */
    stats() {
        return { throttled: this.throttled, pacedMs: this.pacedMs };
    }
    bucket(key, kind) {
        let bucket = this.buckets.get(key);
        if (!bucket)
            this.buckets.set(key, (bucket = new BucketModel(kind)));
        return bucket;
    }
}
/** The pipeline policy: one per client, all over one Pacer. Add it after the retry phase. */
function pacerPolicy(pacer) {
    return {
        name: 'armThrottlePacer',
        async sendRequest(request, next) {
            const ticket = await pacer.acquire(request.method, request.url);
            let response;
            try {
                response = await next(request);
                return response;
            }
            finally {
                pacer.release(ticket, response);
            }
        },
    };
}
const SCOPES = ['principal', 'global'];
const REMAINING = {
    principal: {
        reads: 'x-ms-ratelimit-remaining-subscription-reads',
        writes: 'x-ms-ratelimit-remaining-subscription-writes',
        deletes: 'x-ms-ratelimit-remaining-subscription-deletes',
    },
    global: {
        reads: 'x-ms-ratelimit-remaining-subscription-global-reads',
        writes: 'x-ms-ratelimit-remaining-subscription-global-writes',
        deletes: 'x-ms-ratelimit-remaining-subscription-global-deletes',
    },
};
/** ARM's documented refill rates, per second: the guess until the run has measured its own. */
const DOCUMENTED_REFILL = { reads: 25, writes: 10, deletes: 10 };
/** Measure the refill over at least this long: shorter spans are mostly jitter. */
const MIN_SPAN_MS = 200;
/** Keep this many tokens spare for what the model cannot see (other clients, timing). */
const RESERVE = 1;
const MIN_WAIT_MS = 5;
/** How long a request waits on a bucket with nothing in flight before it goes to learn. */
const PROBE_AFTER_MS = 1000;
function kindOf(method) {
    const upper = method.toUpperCase();
    if (upper === 'GET' || upper === 'HEAD')
        return 'reads';
    return upper === 'DELETE' ? 'deletes' : 'writes';
}
class BucketModel {
    inFlight = 0;
    closedUntil = 0;
    /** Answers that took a token (not 429), counted as they arrive. */
    admitted = 0;
    capacity = 0;
    refillPerMs;
    measured = false;
    last;
    /** Recent observations since the bucket was last seen full, oldest first. */
    window = [];
    constructor(kind) {
        this.kind = kind;
        this.refillPerMs = DOCUMENTED_REFILL[kind] / 1000;
    }
    kind;
    /** Whether an answer ever said what this bucket has left. */
    get known() {
        return this.last !== undefined;
    }
    observe(at, remaining, tookToken) {
        if (tookToken)
            this.admitted++;
        this.capacity = Math.max(this.capacity, remaining + 1);
        const observation = { at, remaining, admitted: this.admitted };
        this.last = observation;
        // A full bucket discards its refill: measure only spans during which it was below capacity.
        if (remaining >= this.capacity - 1) {
            this.window = [observation];
            return;
        }
        this.window.push(observation);
        while (this.window.length > 2 && at - this.window[1].at >= MIN_SPAN_MS)
            this.window.shift();
        const first = this.window[0];
        const span = at - first.at;
        if (span < MIN_SPAN_MS || first.remaining >= this.capacity - 1)
            return;
        const refilled = remaining - first.remaining + (this.admitted - first.admitted);
        const rate = Math.max(0, refilled) / span;
        this.refillPerMs = this.measured ? 0.7 * this.refillPerMs + 0.3 * rate : rate;
        this.measured = true;
    }
    /** Nothing in flight, and no Retry-After to wait out. */
    idle(now) {
        return this.inFlight === 0 && now >= this.closedUntil;
    }
    /** How long a new request should wait for a token; 0 or less: go now. */
    waitMs(now) {
        if (now < this.closedUntil)
            return this.closedUntil - now;
        if (!this.last)
            return 0;
        const tokens = Math.min(this.capacity, this.last.remaining + this.refillPerMs * (now - this.last.at)) -
            this.inFlight;
        if (tokens >= 1 + RESERVE)
            return 0;
        if (this.refillPerMs <= 0)
            return 50;
        return Math.max(MIN_WAIT_MS, (1 + RESERVE - tokens) / this.refillPerMs);
    }
}

// EXTERNAL MODULE: ./src/azure/port.ts
var port = __webpack_require__(5488);
;// CONCATENATED MODULE: ./src/azure/send-gate.ts

/** The call's own signal (what the SDK sees as the request's abortSignal) → its gate. */
const gates = new WeakMap();
/** The policy every storage client carries; requests without a gate pass untouched. */
function sendGatePolicy() {
    return {
        name: 'cancelGate',
        async sendRequest(request, next) {
            const gate = request.abortSignal && gates.get(request.abortSignal);
            if (!gate)
                return next(request);
            if (gate.cancel.aborted)
                throw new port/* NotSentError */.S(gate.sent);
            Object.assign(gate, { sent: true, onWire: true });
            try {
                return await next(request);
            }
            finally {
                gate.onWire = false;
            }
        },
    };
}
/**
 * Runs one SDK call behind the gate. On a cancel while nothing is on the wire (a token being
 * fetched, the pacer or a retry waiting), the call's signal aborts at once, and the call rejects
 * with a NotSentError however the SDK told the abort.
 */
async function unlessCancelled(cancel, call) {
    if (!cancel)
        return call({});
    const own = new AbortController();
    const gate = { cancel, sent: false, onWire: false };
    gates.set(own.signal, gate);
    const onCancel = () => {
        if (!gate.onWire)
            own.abort();
    };
    if (cancel.aborted)
        throw new port/* NotSentError */.S(false);
    cancel.addEventListener('abort', onCancel, { once: true });
    try {
        return await call({ abortSignal: own.signal });
    }
    catch (error) {
        if (own.signal.aborted && !(error instanceof port/* NotSentError */.S))
            throw new port/* NotSentError */.S(gate.sent);
        throw error;
    }
    finally {
        cancel.removeEventListener('abort', onCancel);
    }
}

// EXTERNAL MODULE: ./node_modules/@azure/core-rest-pipeline/dist/esm/index.js + 37 modules
var core_rest_pipeline_dist_esm = __webpack_require__(1818);
;// CONCATENATED MODULE: ./src/azure/rest.ts

function armRest(client, armEndpoint) {
    const call = async (method, url, body) => {
        const request = (0,core_rest_pipeline_dist_esm/* createPipelineRequest */.G6)({ url, method });
        if (body !== undefined) {
            request.headers = (0,core_rest_pipeline_dist_esm/* createHttpHeaders */.Nc)({ 'Content-Type': 'application/json' });
            request.body = JSON.stringify(body);
        }
        const response = await client.sendRequest(request);
        const text = response.bodyAsText ?? undefined;
        if (response.status >= 300) {
            throw restError(response.status, text, response.headers.get('x-ms-correlation-request-id'));
        }
        return (text ? JSON.parse(text) : {});
    };
    const urlOf = (path, apiVersion, query = {}) => `${armEndpoint.replace(/\/+$/, '')}${path}?${new URLSearchParams({ 'api-version': apiVersion, ...query })}`;
    async function* pages(path, apiVersion, query) {
        let url = urlOf(path, apiVersion, query);
        while (url) {
            const page = await call('GET', url);
            yield page.value ?? [];
            url = page.nextLink;
        }
    }
    return {
        send: (method, path, apiVersion, body, query) => call(method, urlOf(path, apiVersion, query), body),
        pages,
        async list(path, apiVersion, query) {
            const items = [];
            for await (const page of pages(path, apiVersion, query))
                items.push(...page);
            return items;
        },
    };
}
/** An error shaped like the SDK's (statusCode, code, message), so describeError reads it alike. */
function restError(status, body, correlationId) {
    let code;
    let message = `the request failed with status ${status}`;
    try {
        const parsed = JSON.parse(body ?? '');
        code = parsed.error?.code;
        message = parsed.error?.message ?? message;
    }
    catch {
        // not JSON: keep the generic message
    }
    return Object.assign(new Error(message), { statusCode: status, code, correlationId });
}
/** When a resource was last written, from its systemData. */
const modifiedOn = (r) => r.systemData?.lastModifiedAt ? new Date(r.systemData.lastModifiedAt) : undefined;

;// CONCATENATED MODULE: ./src/azure/token-cache.ts
/** Refresh a token this long before it expires, or after half its life when it lives less. */
const REFRESH_MARGIN_MS = 5 * 60_000;
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
class SharedTokenCache {
    login;
    now;
    entries = new Map();
    constructor(login, now = Date.now) {
        this.login = login;
        this.now = now;
    }
    getToken(scopes, options = {}) {
        if (options.claims)
            return this.login.getToken(scopes, options);
        const key = JSON.stringify([[scopes].flat().sort(), options.tenantId ?? '']);
        let entry = this.entries.get(key);
        if (!entry)
            this.entries.set(key, (entry = { refreshAt: 0 }));
        if (entry.token && this.now() < entry.refreshAt)
            return Promise.resolve(entry.token);
        if (entry.pending)
            return entry.pending;
        const fetchedAt = this.now();
        // One caller's abort must not fail the others waiting on the same fetch.
        const shared = { ...options };
        delete shared.abortSignal;
        const current = entry;
        current.pending = this.login
            .getToken(scopes, shared)
            .then((token) => {
            if (!token)
                return null;
            const life = token.expiresOnTimestamp - fetchedAt;
            const refreshAt = Math.min(token.refreshAfterTimestamp ?? Infinity, token.expiresOnTimestamp - Math.min(REFRESH_MARGIN_MS, Math.max(0, life) / 2));
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

;// CONCATENATED MODULE: ./src/azure/arm.ts













/**
 * The newest stable api-version of datastores in the REST specs (Azure/azure-rest-api-specs,
 * machinelearningservices …/stable/2026-07-01). A datastore is read and written whole at one
 * version: 2022-10-01 (what the SDK speaks) lacks `subscriptionId` and `resourceGroup`, which name
 * an account in another subscription, and a PUT at it would drop them.
 */
const DATASTORES_API_VERSION = '2026-07-01';
/** What the SDK asks for: the service's default page of datastores. */
const DATASTORE_PAGE_SIZE = 30;
/** Connections with AccountKey/SAS credentials on storage: 2024-10-01 (the SDK speaks 2022-10-01). */
const CONNECTIONS_API_VERSION = '2024-10-01';
/** The AzurePort over the Azure SDK clients: the only module that imports them. */
function createArmPort(credential, cloud, options = {}) {
    // Every client of the run takes its tokens from one cache (one `az` call, not one per client).
    const tokens = new SharedTokenCache(credential);
    const pacer = options.pacer ?? new Pacer();
    // After the retry phase: every attempt, the SDK's retries of a 429 too, waits for a token.
    const paced = (client) => {
        client.pipeline.addPolicy(pacerPolicy(pacer), { afterPhase: 'Retry' });
        client.pipeline.addPolicy(sendGatePolicy(), { afterPhase: 'Sign' });
        return client;
    };
    const storageClients = new Map();
    const mlClients = new Map();
    const pollIntervalMs = options.pollIntervalMs ?? 200;
    const storage = (subscriptionId) => memo(storageClients, subscriptionId, () => {
        return paced(new esm/* StorageManagementClient */.aJ(tokens, subscriptionId, {
            endpoint: cloud.armEndpoint,
            credentials: { scopes: [cloud.armScope] },
        }));
    });
    const ml = (subscriptionId) => memo(mlClients, subscriptionId, () => {
        return paced(new dist/* AzureMachineLearningWorkspaces */.FQ(tokens, subscriptionId, {
            endpoint: cloud.armEndpoint,
            credentialScopes: [cloud.armScope],
        }));
    });
    const rest = (subscriptionId) => armRest(ml(subscriptionId), cloud.armEndpoint);
    return {
        ...createLogsOperations(tokens, cloud, rest),
        ...lazyKeyVaultOperations(tokens, cloud, rest),
        ...createAuthorizationOperations(tokens, cloud, rest),
        ...(0,app_service/* createAppServiceOperations */.J)(rest),
        async getStorageAccount(account) {
            const props = await storage(account.subscriptionId).storageAccounts.getProperties(account.resourceGroup, account.name);
            return toStorageAccount(props, account);
        },
        async listStorageAccounts(subscriptionId) {
            const accounts = [];
            for await (const props of storage(subscriptionId).storageAccounts.list()) {
                const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(props.id ?? '')?.[1] ?? '';
                accounts.push(toStorageAccount(props, { subscriptionId, resourceGroup, name: props.name ?? '' }));
            }
            return accounts;
        },
        async listKeys(account) {
            const result = await storage(account.subscriptionId).storageAccounts.listKeys(account.resourceGroup, account.name);
            return toAccountKeys(result.keys);
        },
        async regenerateKey(account, key, { cancel } = {}) {
            const accounts = storage(account.subscriptionId).storageAccounts;
            const { resourceGroup, name } = account;
            const result = await unlessCancelled(cancel, (options) => accounts.regenerateKey(resourceGroup, name, { keyName: key }, options));
            return toAccountKeys(result.keys);
        },
        async listWorkspaces(subscriptionId, resourceGroup) {
            const pages = resourceGroup
                ? ml(subscriptionId).workspaces.listByResourceGroup(resourceGroup)
                : ml(subscriptionId).workspaces.listBySubscription();
            const workspaces = [];
            for await (const ws of pages)
                workspaces.push(toWorkspace(ws, subscriptionId));
            return workspaces;
        },
        async getWorkspace(ref) {
            const ws = await ml(ref.subscriptionId).workspaces.get(ref.resourceGroup, ref.name);
            return toWorkspace(ws, ref.subscriptionId, ref);
        },
        async workspaceStorageKey(ref) {
            const keys = await ml(ref.subscriptionId).workspaces.listKeys(ref.resourceGroup, ref.name);
            (0,secrets/* maskSecret */.$l)(keys.userStorageKey);
            return keys.userStorageKey;
        },
        async resyncKeys(ref, { abortSignal } = {}) {
            // The signal goes with every request of the operation; stopping the poller ends the wait at
            // once, where the poller would otherwise sleep out its interval (Retry-After: up to 600 s).
            const poller = await ml(ref.subscriptionId).workspaces.beginResyncKeys(ref.resourceGroup, ref.name, { updateIntervalInMs: pollIntervalMs, abortSignal });
            const stop = () => poller.stopPolling();
            if (abortSignal?.aborted)
                stop();
            abortSignal?.addEventListener('abort', stop, { once: true });
            try {
                await poller.pollUntilDone({ abortSignal });
            }
            finally {
                abortSignal?.removeEventListener('abort', stop);
            }
        },
        // Datastores go through the REST helper (the ML client's pipeline: token, retries, pacing),
        // not the SDK's operations: a rotation makes three calls per datastore, and the SDK's
        // serializer costs more CPU per call than the call's own JSON, and drops from a PUT body any
        // property its 2022-10-01 models do not know. Raw JSON keeps every property as listed.
        async *datastorePages(ref) {
            const pages = rest(ref.subscriptionId).pages(datastoresPath(ref), DATASTORES_API_VERSION, { count: String(DATASTORE_PAGE_SIZE) });
            for await (const page of pages)
                yield page.map(toDatastore);
        },
        async getDatastore(ref, name) {
            const ds = await rest(ref.subscriptionId).send('GET', `${datastoresPath(ref)}/${encodeURIComponent(name)}`, DATASTORES_API_VERSION);
            return toDatastore(ds);
        },
        async datastoreSecret(ref, name) {
            const secrets = await rest(ref.subscriptionId).send('POST', `${datastoresPath(ref)}/${encodeURIComponent(name)}/listSecrets`, DATASTORES_API_VERSION);
            if (secrets.secretsType === 'AccountKey')
                return accountKeySecret(secrets.key);
            if (secrets.secretsType === 'Sas')
                return sasSecret(secrets.sasToken);
            return { kind: 'Other' };
        },
        async putDatastore(ref, datastore) {
            // skipValidation: the service's own check reaches the account over the network and fails
            // behind a firewall or private endpoint; the caller verifies with listSecrets instead.
            await rest(ref.subscriptionId).send('PUT', `${datastoresPath(ref)}/${encodeURIComponent(datastore.name)}`, DATASTORES_API_VERSION, { properties: datastore.properties }, { skipValidation: 'true' });
        },
        async *connectionPages(ref) {
            const pages = rest(ref.subscriptionId).pages(`${(0,resource_id/* resourceId */.a)(ref, ...resource_id/* WORKSPACES */.T4)}/connections`, CONNECTIONS_API_VERSION);
            for await (const page of pages) {
                yield page.map((c) => ({
                    name: c.name ?? '',
                    properties: c.properties ?? { authType: '' },
                    modifiedOn: modifiedOn(c),
                }));
            }
        },
        async connectionSecret(ref, name) {
            const connection = await rest(ref.subscriptionId).send('POST', `${(0,resource_id/* resourceId */.a)(ref, ...resource_id/* WORKSPACES */.T4)}/connections/${encodeURIComponent(name)}/listsecrets`, CONNECTIONS_API_VERSION);
            const authType = connection.properties?.authType;
            const credentials = (connection.properties?.credentials ?? {});
            if (authType === 'AccountKey')
                return accountKeySecret(credentials.key);
            if (authType === 'SAS')
                return sasSecret(credentials.sas);
            return { kind: 'Other' };
        },
        async updateConnection(ref, name, properties) {
            await rest(ref.subscriptionId).send('PATCH', `${(0,resource_id/* resourceId */.a)(ref, ...resource_id/* WORKSPACES */.T4)}/connections/${encodeURIComponent(name)}`, CONNECTIONS_API_VERSION, { properties });
        },
    };
}
const datastoresPath = (ref) => `${(0,resource_id/* resourceId */.a)(ref, ...resource_id/* WORKSPACES */.T4)}/datastores`;
function toStorageAccount(props, ref) {
    return {
        id: props.id ?? (0,resource_id/* resourceId */.a)(ref, ...resource_id/* STORAGE */.O3),
        ref,
        keyExpirationDays: props.keyPolicy?.keyExpirationPeriodInDays,
        allowSharedKeyAccess: props.allowSharedKeyAccess !== false,
        keyCreationTime: {
            key1: props.keyCreationTime?.key1 ?? undefined,
            key2: props.keyCreationTime?.key2 ?? undefined,
        },
        sasPolicy: props.sasPolicy && {
            sasExpirationPeriod: props.sasPolicy.sasExpirationPeriod,
            expirationAction: props.sasPolicy.expirationAction === 'Block' ? 'Block' : 'Log',
        },
    };
}
function accountKeySecret(key) {
    (0,secrets/* maskSecret */.$l)(key);
    return { kind: 'AccountKey', key: key ?? '' };
}
function sasSecret(token) {
    (0,secrets/* maskSecret */.$l)(token);
    return { kind: 'Sas', sasToken: token ?? '' };
}
function memo(cache, key, create) {
    let value = cache.get(key);
    if (!value)
        cache.set(key, (value = create()));
    return value;
}
function toAccountKeys(keys) {
    const result = [];
    for (const key of keys ?? []) {
        const name = port/* KEY_NAMES */.V.find((n) => n === key.keyName?.toLowerCase());
        if (!name || !key.value)
            continue;
        (0,secrets/* maskSecret */.$l)(key.value);
        result.push({ name, value: key.value, createdOn: key.creationTime });
    }
    return result;
}
function toWorkspace(ws, subscriptionId, known) {
    const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(ws.id ?? '')?.[1];
    const ref = known ?? {
        subscriptionId,
        resourceGroup: resourceGroup ?? '',
        name: ws.name ?? '',
    };
    return {
        id: ws.id ?? (0,resource_id/* resourceId */.a)(ref, ...resource_id/* WORKSPACES */.T4),
        ref,
        storageAccountId: ws.storageAccount ?? undefined,
    };
}
function toDatastore(ds) {
    return {
        name: ds.name ?? '',
        properties: ds.properties ?? { datastoreType: '', credentials: { credentialsType: 'None' } },
        modifiedOn: modifiedOn(ds),
    };
}


/***/ }),

/***/ 6370:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WA: () => (/* binding */ cloudByName),
/* harmony export */   WQ: () => (/* binding */ studioDatastoreLink),
/* harmony export */   jg: () => (/* binding */ portalLink),
/* harmony export */   vD: () => (/* binding */ CLOUD_NAMES)
/* harmony export */ });
const CLOUD_NAMES = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'];
const CLOUDS = {
    AzureCloud: {
        name: 'AzureCloud',
        armEndpoint: 'https://management.azure.com',
        armScope: 'https://management.azure.com/.default',
        authorityHost: 'https://login.microsoftonline.com',
        storageSuffix: 'core.windows.net',
        portalUrl: 'https://portal.azure.com',
        studioUrl: 'https://ml.azure.com',
        logsEndpoint: 'https://api.loganalytics.io',
        logsScope: 'https://api.loganalytics.io/.default',
        keyVaultSuffix: 'vault.azure.net',
    },
    AzureUSGovernment: {
        name: 'AzureUSGovernment',
        armEndpoint: 'https://management.usgovcloudapi.net',
        armScope: 'https://management.usgovcloudapi.net/.default',
        authorityHost: 'https://login.microsoftonline.us',
        storageSuffix: 'core.usgovcloudapi.net',
        portalUrl: 'https://portal.azure.us',
        studioUrl: 'https://ml.azure.us',
        logsEndpoint: 'https://api.loganalytics.us',
        logsScope: 'https://api.loganalytics.us/.default',
        keyVaultSuffix: 'vault.usgovcloudapi.net',
    },
    AzureChinaCloud: {
        name: 'AzureChinaCloud',
        armEndpoint: 'https://management.chinacloudapi.cn',
        armScope: 'https://management.chinacloudapi.cn/.default',
        authorityHost: 'https://login.chinacloudapi.cn',
        storageSuffix: 'core.chinacloudapi.cn',
        portalUrl: 'https://portal.azure.cn',
        studioUrl: 'https://studio.ml.azure.cn',
        logsEndpoint: 'https://api.loganalytics.azure.cn',
        logsScope: 'https://api.loganalytics.azure.cn/.default',
        keyVaultSuffix: 'vault.azure.cn',
    },
};
function cloudByName(name, armEndpoint, logsEndpoint) {
    const cloud = CLOUDS[name];
    return {
        ...cloud,
        ...(armEndpoint ? { armEndpoint: armEndpoint.replace(/\/+$/, '') } : {}),
        ...(logsEndpoint ? { logsEndpoint: logsEndpoint.replace(/\/+$/, '') } : {}),
    };
}
/** The Azure portal's page of a resource, by its ARM ID. */
function portalLink(cloud, resourceId) {
    return `${cloud.portalUrl}/#@/resource${resourceId}`;
}
/** Azure ML studio's page of a datastore, in the workspace with this ARM ID. */
function studioDatastoreLink(cloud, workspaceId, name) {
    return `${cloud.studioUrl}/data/datastore/${encodeURIComponent(name)}?wsid=${encodeURIComponent(workspaceId)}`;
}


/***/ }),

/***/ 8098:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GO: () => (/* binding */ createCredential),
/* harmony export */   Hf: () => (/* binding */ describeLogin),
/* harmony export */   Nq: () => (/* binding */ loginFailureReasons),
/* harmony export */   t$: () => (/* binding */ loginHint)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _azure_identity__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8578);


/**
 * The login chain. OIDC when client-id and tenant-id are given; otherwise the environment's
 * service principal, then the Azure CLI session azure/login leaves. The managed-identity endpoint
 * is never probed: a runner with a managed identity logs in through azure/login's identity mode.
 */
function createCredential(login, cloud) {
    const authorityHost = process.env.AZURE_AUTHORITY_HOST || cloud.authorityHost;
    const authority = {
        authorityHost,
        // Instance discovery asks the public cloud about the authority: only meaningful for the
        // cloud's own authority (sovereign clouds and test stand-ins are not in its list).
        disableInstanceDiscovery: authorityHost.replace(/\/+$/, '') !== cloud.authorityHost,
    };
    if (login.kind === 'oidc')
        return new GitHubOidcCredential(login, authority);
    return new _azure_identity__WEBPACK_IMPORTED_MODULE_1__/* .ChainedTokenCredential */ .Rk(new _azure_identity__WEBPACK_IMPORTED_MODULE_1__/* .EnvironmentCredential */ .lp(authority), new _azure_identity__WEBPACK_IMPORTED_MODULE_1__/* .AzureCliCredential */ .nG());
}
/** Every message of an OIDC login failure names the GitHub ID token; MSAL keeps the message. */
const ID_TOKEN = 'GitHub ID token';
/**
 * A GitHub ID token exchanged at Microsoft Entra for an access token. Every failure, getting the ID
 * token or exchanging it, is reported as a login failure (CredentialUnavailableError): MSAL turns
 * any error from the assertion callback or from Entra into an AuthenticationRequiredError, which
 * would otherwise read as a failed Azure call rather than a failed login.
 */
class GitHubOidcCredential extends _azure_identity__WEBPACK_IMPORTED_MODULE_1__/* .ClientAssertionCredential */ .XI {
    /** The ID token of the token request under way. */
    assertion;
    constructor(login, options) {
        // A GitHub ID token lives minutes: ask for a fresh one every time a token is needed, and once
        // per token request. MSAL calls the callback twice per request (for its client configuration,
        // then for the request itself): without this, a second round trip to GitHub, in series.
        const assertion = {};
        super(login.tenantId, login.clientId, () => (assertion.pending ??= githubIdToken(login.audience)), options);
        this.assertion = assertion;
    }
    async getToken(scopes, options) {
        this.assertion.pending = undefined;
        try {
            return await super.getToken(scopes, options);
        }
        catch (error) {
            if (error instanceof Error && error.name === 'AbortError')
                throw error;
            const message = error instanceof Error ? error.message : String(error);
            throw new _azure_identity__WEBPACK_IMPORTED_MODULE_1__/* .CredentialUnavailableError */ .oT(message.includes(ID_TOKEN)
                ? message
                : `exchanging the ${ID_TOKEN} at Microsoft Entra failed: ${message}`);
        }
    }
}
async function githubIdToken(audience) {
    // GitHub sets both only in a job with 'permissions: id-token: write'.
    const missing = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter((name) => !process.env[name]);
    if (missing.length > 0) {
        const verb = missing.length > 1 ? 'are' : 'is';
        throw new _azure_identity__WEBPACK_IMPORTED_MODULE_1__/* .CredentialUnavailableError */ .oT(`the job cannot request a ${ID_TOKEN}: ${missing.join(' and ')} ${verb} not set, as in a job without 'permissions: id-token: write'.`);
    }
    try {
        return await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getIDToken */ .V9(audience);
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new _azure_identity__WEBPACK_IMPORTED_MODULE_1__/* .CredentialUnavailableError */ .oT(`the ${ID_TOKEN} request failed: ${idTokenFailure(message)}`);
    }
}
/**
 * @actions/core reports a failed ID-token request over several lines ("Error message: Failed to get
 * ID Token. \n Error Code : 501\n Error Message: Not implemented"): one sentence, status and reason.
 */
function idTokenFailure(message) {
    const code = /Error Code\s*:\s*(\S+)/.exec(message)?.[1];
    const reason = /Error Message:\s*([\s\S]*)$/.exec(message)?.[1];
    const text = code && reason ? `${code} ${reason}` : message.replace(/^Error message:\s*/, '');
    const line = text.replace(/\s+/g, ' ').trim();
    return /[.!?]$/.test(line) ? line : `${line}.`;
}
function describeLogin(login) {
    return login.kind === 'oidc'
        ? `GitHub OIDC (client ${login.clientId}, tenant ${login.tenantId})`
        : 'the service principal in AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or else the Azure CLI session from azure/login';
}
function loginHint(login, env = process.env) {
    if (login.kind === 'oidc') {
        return "Make sure the job has 'permissions: id-token: write' and the app registration has a federated credential for this repository and branch or environment.";
    }
    return env.AZURE_CLIENT_ID
        ? 'Check AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or remove them to use the azure/login session.'
        : 'Add an azure/login step before this action (or give client-id and tenant-id to log in with OIDC).';
}
/**
 * The reasons of a failed login. A chain fails with one error per credential it tried
 * ("ChainedTokenCredential authentication failed." alone says nothing): keep the first line of each,
 * ended as a sentence so the reasons and the hint after them read apart.
 */
function loginFailureReasons(error) {
    const inner = error?.errors;
    const all = Array.isArray(inner) && inner.length > 0 ? inner : [error];
    return all.map((e) => {
        const line = (e instanceof Error ? e.message : String(e)).split(/\r?\n/)[0].trim();
        return /[.!?]$/.test(line) ? line : `${line}.`;
    });
}


/***/ }),

/***/ 5488:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ NotSentError),
/* harmony export */   V: () => (/* binding */ KEY_NAMES)
/* harmony export */ });
const KEY_NAMES = ['key1', 'key2'];
/** A request held back by a cancel before it went out (or before a retry of it went out). */
class NotSentError extends Error {
    name = 'NotSentError';
    /** An earlier attempt of the same call was sent: its effect is not known from this error. */
    earlierAttemptSent;
    constructor(earlierAttemptSent) {
        super(earlierAttemptSent
            ? 'the run was cancelled: the request was not sent again'
            : 'the run was cancelled before the request was sent');
        this.earlierAttemptSent = earlierAttemptSent;
    }
}


/***/ }),

/***/ 6869:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  R: () => (/* binding */ ADAPTERS),
  f: () => (/* binding */ adapterFor)
});

// EXTERNAL MODULE: ./src/sas/index.ts + 5 modules
var sas = __webpack_require__(5346);
// EXTERNAL MODULE: ./src/util/secrets.ts
var secrets = __webpack_require__(4537);
// EXTERNAL MODULE: ./src/util/concurrency.ts
var concurrency = __webpack_require__(3731);
// EXTERNAL MODULE: ./src/discover/inventory.ts
var inventory = __webpack_require__(6563);
// EXTERNAL MODULE: ./src/consumers/sas.ts
var consumers_sas = __webpack_require__(9244);
;// CONCATENATED MODULE: ./src/consumers/adapter.ts



/** The key an AccountKey secret matches; anything else holds no account key. */
function holdingOfSecret(secret, keys) {
    return (0,inventory/* holdingOf */.JO)(secret.kind === 'AccountKey' ? secret.key : undefined, keys);
}
/** Confirms the service stored the key, by reading the secret back. */
function verifyStored(secret, key) {
    return secret.kind === 'AccountKey' && secret.key === key
        ? undefined
        : 'the service accepted the update but reading the secret back does not return the new key';
}
/**
 * What to write into the consumer: a SAS consumer gets its own token re-signed by the key (the
 * same fields, a new signature), checked by which key signed what is read back; any other gets
 * the key. A string: why the consumer cannot be re-keyed.
 */
function rekeying(target, key) {
    const held = (0,consumers_sas/* heldSas */.lD)(target.consumer.sasToken);
    if (!held) {
        return { secret: { kind: 'AccountKey', key }, verify: (stored) => verifyStored(stored, key) };
    }
    if (!target.signing)
        return 'no signing key was given to re-issue its SAS token';
    const signing = target.signing;
    const renewed = (0,consumers_sas/* renewedToken */._m)(held, signing);
    if (typeof renewed === 'string')
        return renewed;
    return {
        secret: { kind: 'Sas', sasToken: renewed.token },
        verify: (stored) => (0,consumers_sas/* verifyStoredSas */.s1)(stored, held, signing),
    };
}
/**
 * Reads a paged listing and, as each page arrives, asks for the next one and starts reading the
 * secret of every AccountKey and SAS consumer on it: the secret reads of one page overlap the fetch
 * of the next. Page fetches go before waiting secret reads (each later page waits on the one before
 * it). A SAS token is judged at once (which key signed it) and kept aside, masked.
 */
async function streamConsumers(pages, context, 
/** The consumer an item is, when it reaches the account; undefined otherwise. */
consumerOf, secretOf, 
/** What a SAS consumer uses its token on (a service SAS signs that path). */
sasResourceOf = () => undefined) {
    const { limit, keys } = context;
    const iterator = pages[Symbol.asyncIterator]();
    const consumers = [];
    let others = 0;
    const close = limit.openChain();
    const fetchPage = () => (0,concurrency/* started */.A4)(limit.run(() => iterator.next(), 'urgent'));
    let next = fetchPage();
    for (;;) {
        let page;
        try {
            page = await next;
        }
        catch (error) {
            close();
            throw error;
        }
        if (page.done)
            break;
        // The next page is on its way before this page's secret reads are even sent.
        next = fetchPage();
        for (const item of page.value) {
            const consumer = consumerOf(item);
            if (!consumer)
                others++;
            else if (consumer.auth === 'Other')
                consumers.push(Promise.resolve(consumer));
            else {
                const read = limit.run(() => secretOf(item));
                const judge = async (secret) => consumer.auth === 'AccountKey'
                    ? { ...consumer, holds: holdingOfSecret(secret, await keys) }
                    : {
                        ...consumer,
                        ...(0,consumers_sas/* readSas */.OJ)(secret, context.account.name.toLowerCase(), await keys, sasResourceOf(item), context.now ?? new Date(), await context.sasPolicy),
                    };
                const unread = (error) => {
                    if (!context.unreadSecret)
                        throw error;
                    return { ...consumer, holds: 'unknown', unread: context.unreadSecret(error) };
                };
                consumers.push((0,concurrency/* started */.A4)(read.then(judge, unread)));
            }
        }
    }
    close();
    return { consumers: await Promise.all(consumers), others };
}
/** Every item of a paged listing, each page fetched under the limit. */
async function listAll(pages, limit) {
    const iterator = pages[Symbol.asyncIterator]();
    const items = [];
    for (;;) {
        const page = await limit.run(() => iterator.next());
        if (page.done)
            return items;
        items.push(...page.value);
    }
}

;// CONCATENATED MODULE: ./src/consumers/connection.ts



const ACTIONS = 'Microsoft.MachineLearningServices/workspaces/connections';
const STORAGE_SERVICES = ['blob', 'dfs', 'file', 'queue', 'table'];
/** Workspace connections (prompt flow, AI projects) that reach the account. */
const connections = {
    kind: 'connection',
    actions: {
        list: `${ACTIONS}/read`,
        readSecret: `${ACTIONS}/listsecrets/action`,
        write: `${ACTIONS}/write`,
    },
    discover(azure, workspace, context) {
        return streamConsumers(azure.connectionPages(workspace), context, (c) => (pointsAt(c, context.account) ? toConsumer(workspace, c) : undefined), (c) => azure.connectionSecret(workspace, c.name), sasResourceOf);
    },
    async survey(azure, workspace, { storageSuffix, limit }) {
        const all = await listAll(azure.connectionPages(workspace), limit);
        return all.flatMap((c) => {
            const account = accountNamed(c, storageSuffix);
            if (!account)
                return [];
            const auth = authOf(c.properties.authType);
            return [{ kind: 'connection', name: c.name, auth, account }];
        });
    },
    /**
     * PATCH sets the credentials (the key, or the SAS token re-signed by it) and keeps every other
     * property; authType is required in it.
     */
    async rekey(azure, target, key) {
        const ref = target.consumer;
        const change = rekeying(target, key);
        if (typeof change === 'string')
            return change;
        const { secret } = change;
        try {
            await azure.updateConnection(ref.workspace, ref.name, secret.kind === 'AccountKey'
                ? { authType: 'AccountKey', credentials: { key: secret.key } }
                : { authType: 'SAS', credentials: { sas: secret.sasToken } });
            return change.verify(await azure.connectionSecret(ref.workspace, ref.name));
        }
        catch (error) {
            return (0,secrets/* describeError */.Uc)(error);
        }
    },
};
/** On the account: its target is one of the account's endpoints, or it names the account. */
function pointsAt(connection, account) {
    return accountNamed(connection, account.storageSuffix) === account.name.toLowerCase();
}
/**
 * The storage account a connection reaches, lower case: the host of its target when that is a
 * storage endpoint (`<account>.blob.<suffix>`, …), else its metadata's AccountName.
 */
function accountNamed(connection, storageSuffix) {
    const p = connection.properties;
    const host = hostOf(p.target);
    if (host) {
        const suffix = `.${storageSuffix.toLowerCase()}`;
        if (!host.endsWith(suffix))
            return undefined;
        const [account, service, ...rest] = host.slice(0, -suffix.length).split('.');
        return rest.length === 0 && STORAGE_SERVICES.includes(service ?? '') ? account : undefined;
    }
    return (p.metadata?.AccountName ?? p.metadata?.accountName)?.toLowerCase() || undefined;
}
function hostOf(target) {
    if (!target)
        return undefined;
    try {
        return new URL(target).hostname.toLowerCase();
    }
    catch {
        return undefined;
    }
}
/**
 * What a SAS connection's token is used on: its target's container or share (and path); a target at
 * the account's root takes the container from metadata ContainerName, as AzureBlob connections keep
 * it (an account SAS needs neither).
 */
function sasResourceOf(c) {
    const target = (0,sas/* storageTargetFromUrl */.ik)(c.properties.target ?? '');
    if (target?.resource)
        return target.resource;
    const container = c.properties.metadata?.ContainerName ?? c.properties.metadata?.containerName;
    if (!container)
        return undefined;
    const host = hostOf(c.properties.target) ?? '';
    return host.split('.')[1] === 'file'
        ? { service: 'file', share: container }
        : { service: 'blob', container };
}
function toConsumer(workspace, c) {
    const p = c.properties;
    return {
        kind: 'connection',
        workspace,
        name: c.name,
        auth: authOf(p.authType),
        type: p.category ?? '',
        target: p.target ?? '',
        credentials: p.authType,
        isDefault: false,
        ...(c.modifiedOn ? { writtenOn: c.modifiedOn } : {}),
    };
}
function authOf(authType) {
    if (authType === 'AccountKey')
        return 'AccountKey';
    return authType === 'SAS' ? 'Sas' : 'Other';
}

;// CONCATENATED MODULE: ./src/consumers/datastore.ts



const ACCOUNT_DATASTORE_TYPES = new Set(['AzureBlob', 'AzureFile', 'AzureDataLakeGen2']);
const READ_ONLY = ['isDefault'];
const datastore_ACTIONS = 'Microsoft.MachineLearningServices/workspaces/datastores';
const datastores = {
    kind: 'datastore',
    actions: {
        list: `${datastore_ACTIONS}/read`,
        readSecret: `${datastore_ACTIONS}/listsecrets/action`,
        write: `${datastore_ACTIONS}/write`,
    },
    discover(azure, workspace, context) {
        return streamConsumers(azure.datastorePages(workspace), context, (ds) => {
            if (!datastore_pointsAt(ds, context.account))
                return undefined;
            const consumer = datastore_toConsumer(workspace, ds);
            // Kept to re-key it without reading it again: a list item has every property a PUT needs.
            if (consumer.auth !== 'Other')
                consumer.listed = ds;
            return consumer;
        }, (ds) => azure.datastoreSecret(workspace, ds.name), datastore_sasResourceOf);
    },
    async survey(azure, workspace, { storageSuffix, limit }) {
        const all = await listAll(azure.datastorePages(workspace), limit);
        return all.flatMap((ds) => {
            const p = ds.properties;
            if (!ACCOUNT_DATASTORE_TYPES.has(p.datastoreType) || !p.accountName)
                return [];
            if ((p.endpoint || storageSuffix).toLowerCase() !== storageSuffix.toLowerCase())
                return [];
            const named = (field) => typeof p[field] === 'string' && p[field] ? p[field] : undefined;
            return [
                {
                    kind: 'datastore',
                    name: ds.name,
                    auth: datastore_authOf(p.credentials?.credentialsType ?? 'None'),
                    account: p.accountName.toLowerCase(),
                    subscriptionId: named('subscriptionId'),
                    resourceGroup: named('resourceGroup'),
                },
            ];
        });
    },
    /**
     * Re-registers the datastore with the key, or a SAS datastore with its token re-signed by the key
     * (a PUT is a full replace: every property kept), and reads the secret back: two calls. The PUT
     * body is the registration as discovery listed it; the datastore is read again only when that may
     * be out of date — a resync of its workspace may have rewritten it, or the PUT failed and the
     * datastore may have changed since.
     */
    async rekey(azure, target, key) {
        const { consumer: ref, resyncedSinceListing } = target;
        const change = rekeying(target, key);
        if (typeof change === 'string')
            return change;
        const read = async () => {
            const current = await azure.getDatastore(ref.workspace, ref.name);
            const type = current.properties.credentials?.credentialsType;
            return type === change.secret.kind
                ? current
                : `its credentials changed to ${type} since discovery; left as it is`;
        };
        try {
            const listed = asListed(ref.listed);
            const outdated = resyncedSinceListing && (0,inventory/* rewrittenByResync */._I)(ref);
            const body = listed && !outdated ? listed : await read();
            if (typeof body === 'string')
                return body;
            try {
                await azure.putDatastore(ref.workspace, withSecret(body, change.secret));
            }
            catch (error) {
                if (body !== listed)
                    throw error;
                const current = await read();
                if (typeof current === 'string')
                    return current;
                // Unchanged since discovery: the failure is not about an outdated body.
                if (sameRegistration(current, listed))
                    throw error;
                await azure.putDatastore(ref.workspace, withSecret(current, change.secret));
            }
            return change.verify(await azure.datastoreSecret(ref.workspace, ref.name));
        }
        catch (error) {
            return (0,secrets/* describeError */.Uc)(error);
        }
    },
};
function asListed(listed) {
    const ds = listed;
    return ds && typeof ds.name === 'string' && typeof ds.properties === 'object' ? ds : undefined;
}
function sameRegistration(a, b) {
    return JSON.stringify(a.properties) === JSON.stringify(b.properties);
}
function datastore_pointsAt(ds, account) {
    const p = ds.properties;
    if (!ACCOUNT_DATASTORE_TYPES.has(p.datastoreType))
        return false;
    const endpoint = (p.endpoint || account.storageSuffix).toLowerCase();
    return (p.accountName?.toLowerCase() === account.name.toLowerCase() &&
        endpoint === account.storageSuffix.toLowerCase());
}
function datastore_toConsumer(workspace, ds) {
    const p = ds.properties;
    const credentials = p.credentials?.credentialsType ?? 'None';
    return {
        kind: 'datastore',
        workspace,
        name: ds.name,
        auth: datastore_authOf(credentials),
        type: p.datastoreType,
        target: p.containerName ?? p.fileShareName ?? p.filesystem ?? '',
        credentials,
        isDefault: p.isDefault === true,
        ...(ds.modifiedOn ? { writtenOn: ds.modifiedOn } : {}),
    };
}
function datastore_authOf(credentialsType) {
    if (credentialsType === 'AccountKey')
        return 'AccountKey';
    return credentialsType === 'Sas' ? 'Sas' : 'Other';
}
/** The container or file share a SAS datastore's token is used on. */
function datastore_sasResourceOf(ds) {
    const p = ds.properties;
    if (p.datastoreType === 'AzureFile') {
        return p.fileShareName ? { service: 'file', share: p.fileShareName } : undefined;
    }
    const container = p.containerName ?? p.filesystem;
    return container ? { service: 'blob', container } : undefined;
}
/**
 * The PUT body that re-registers a datastore with a new account key: the datastore as the service
 * returned it, every property kept, only the credentials replaced (a PUT is a full replace).
 */
function withAccountKey(datastore, key) {
    return withSecret(datastore, { kind: 'AccountKey', key });
}
/** The PUT body with new credentials: an account key, or a SAS token. */
function withSecret(datastore, secret) {
    const properties = { ...datastore.properties };
    for (const field of READ_ONLY)
        delete properties[field];
    properties.credentials =
        secret.kind === 'AccountKey'
            ? { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: secret.key } }
            : { credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: secret.sasToken } };
    return { name: datastore.name, properties };
}

// EXTERNAL MODULE: ./src/consumers/key-vault/index.ts
var key_vault = __webpack_require__(2720);
;// CONCATENATED MODULE: ./src/consumers/index.ts



/** Every kind of consumer registered in workspaces, in the order they are reported. */
const ADAPTERS = [datastores, connections];
/** Every kind of consumer the action re-keys: those of workspaces, then Key Vault secrets. */
const ALL_ADAPTERS = [...ADAPTERS, key_vault/* keyVaultSecrets */.$F];
function adapterFor(kind) {
    return ALL_ADAPTERS.find((a) => a.kind === kind);
}


/***/ }),

/***/ 3699:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H_: () => (/* binding */ KEY_VAULT_ACTIONS),
/* harmony export */   Vj: () => (/* binding */ rekeySecret),
/* harmony export */   YT: () => (/* binding */ KEY_VAULT_SECRET)
/* harmony export */ });
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4537);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7295);
/* harmony import */ var _value_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3873);



const KEY_VAULT_SECRET = 'key-vault-secret';
/** RBAC data actions on a vault's secrets, by what the run does with them. */
const KEY_VAULT_ACTIONS = {
    list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    readSecret: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
    write: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
};
/**
 * Writes a new version of the secret that holds `key` in the form the current version holds its key
 * (the raw key, or the same connection string with only AccountKey replaced), with the same content
 * type and tags (CredentialId naming the key) and its expiry renewed from ValidityPeriodDays; then
 * reads that version back. Older versions are never disabled or deleted. Returns why it failed, or
 * the version written (none when the secret already held the key).
 */
async function rekeySecret(azure, target, key, keyName, now = new Date()) {
    const { consumer } = target;
    const listed = consumer.listed;
    if (!listed?.vaultUri)
        return 'the vault of the secret is not known to this run';
    try {
        // The value as it is now: another writer may have changed its form since discovery.
        const current = await azure.getSecret(listed.vaultUri, consumer.name);
        const content = (0,_value_js__WEBPACK_IMPORTED_MODULE_2__/* .readSecretValue */ .kq)(current.value);
        if (!content)
            return 'its current version no longer holds a storage key; left as it is';
        const value = (0,_value_js__WEBPACK_IMPORTED_MODULE_2__/* .rekeyedValue */ .F1)(current.value, content, key);
        if (value === current.value)
            return undefined;
        const written = await azure.setSecret(listed.vaultUri, consumer.name, {
            value,
            ...(0,_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .nextVersion */ .yU)(current.properties, keyName, now),
        });
        const back = await azure.getSecret(listed.vaultUri, consumer.name, written.version);
        if (back.value !== value) {
            return 'the vault accepted the new version but reading it back does not return the new key';
        }
        return {
            ...(written.version ? { version: written.version } : {}),
            ...(written.createdOn ? { createdOn: written.createdOn } : {}),
        };
    }
    catch (error) {
        return (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .describeError */ .Uc)(error);
    }
}


/***/ }),

/***/ 3521:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K7: () => (/* binding */ resolveVaults),
/* harmony export */   Kl: () => (/* binding */ discoverVault),
/* harmony export */   hZ: () => (/* binding */ vaultFinder)
/* harmony export */ });
/* unused harmony export secretUrl */
/* harmony import */ var _discover_inventory_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6563);
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4537);
/* harmony import */ var _adapter_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3699);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7295);
/* harmony import */ var _value_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3873);





/**
 * Finds the secrets of a vault that hold a key of the account and tells which key each holds. Tagged
 * secrets are found by listing properties (no values); each tagged or named secret's value is read
 * (masked by the port) and judged. What cannot be read is a consumer whose holding is unknown.
 */
async function discoverVault(azure, request, account, keys, limit) {
    const { vault } = request;
    const unread = [];
    let listing = [];
    if (request.tagged) {
        try {
            listing = await limit.run(() => azure.listSecretProperties(vault.uri));
        }
        catch (error) {
            unread.push({
                name: `the secrets of key vault '${vault.ref.name}'`,
                reason: (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .describeError */ .Uc)(error),
            });
        }
    }
    const tagged = listing
        .filter((p) => !p.managed && (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .taggedFor */ .aK)(p.tags, account.id))
        .map((p) => p.name);
    const names = [...new Set([...tagged, ...request.named])].sort((a, b) => a.localeCompare(b));
    const judged = await Promise.all(names.map((name) => limit.run(() => judgeSecret(azure, vault, name, account, keys))));
    return {
        vault,
        consumers: judged.filter((c) => c !== undefined),
        others: judged.filter((c) => c === undefined).length,
        unread,
    };
}
async function judgeSecret(azure, vault, name, account, keys) {
    const listed = { vaultUri: vault.uri };
    const base = {
        kind: _adapter_js__WEBPACK_IMPORTED_MODULE_2__/* .KEY_VAULT_SECRET */ .YT,
        workspace: vault.ref,
        name,
        auth: 'AccountKey',
        credentials: 'AccountKey',
        isDefault: false,
        // The secret's URL without a version: what an App Service Key Vault reference names.
        target: secretUrl(vault.uri, name),
        listed,
    };
    let secret;
    try {
        secret = await azure.getSecret(vault.uri, name);
    }
    catch (error) {
        // Whether it holds a key at all is unknown: it is not moved, and counts as holding either key.
        return {
            ...base,
            auth: 'Other',
            credentials: 'unknown',
            type: 'secret',
            holds: 'unknown',
            unread: (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .describeError */ .Uc)(error),
        };
    }
    const content = (0,_value_js__WEBPACK_IMPORTED_MODULE_4__/* .readSecretValue */ .kq)(secret.value);
    if (!content || !(0,_value_js__WEBPACK_IMPORTED_MODULE_4__/* .isForAccount */ .TO)(content, account.name))
        return undefined;
    const holds = (0,_discover_inventory_js__WEBPACK_IMPORTED_MODULE_0__/* .holdingOf */ .JO)(content.key, await keys);
    const remarks = (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .tagDisagreements */ .ys)(secret.properties.tags, account.id, holds);
    return {
        ...base,
        type: content.form === 'key' ? 'raw key' : 'connection string',
        holds,
        ...(secret.properties.createdOn ? { versionCreatedOn: secret.properties.createdOn } : {}),
        ...(remarks.length > 0 ? { remarks } : {}),
    };
}
/** `https://<vault>/secrets/<name>`: the secret's current version, wherever the vault is. */
const secretUrl = (vaultUri, name) => `${vaultUri.replace(/\/+$/, '')}/secrets/${name}`;
/**
 * Reads a vault the input names from Resource Manager: by ID at once, by name from the listing of
 * the subscription (read once, whatever the number of names; Key Vault names are unique in a cloud).
 * Undefined: no vault of that name in the subscription.
 */
function vaultFinder(azure, subscriptionId, limit) {
    let listing;
    return async (n) => {
        if ('ref' in n)
            return limit.run(() => azure.getVault(n.ref));
        listing ??= limit.run(() => azure.listVaults(subscriptionId));
        return (await listing).find((v) => v.ref.name.toLowerCase() === n.name.toLowerCase());
    };
}
/** The vaults the input names; one not found is an error that says how to name it. */
async function resolveVaults(azure, names, subscriptionId, limit) {
    const find = vaultFinder(azure, subscriptionId, limit);
    return Promise.all(names.map(async (n) => {
        const found = await find(n);
        if (!found) {
            throw new Error(`Key Vault '${'ref' in n ? n.ref.name : n.name}' was not found in subscription ${subscriptionId}: give its resource ID if it is in another one`);
        }
        return found;
    }));
}


/***/ }),

/***/ 2720:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $F: () => (/* binding */ keyVaultSecrets),
/* harmony export */   K7: () => (/* reexport safe */ _discover_js__WEBPACK_IMPORTED_MODULE_1__.K7),
/* harmony export */   Kl: () => (/* reexport safe */ _discover_js__WEBPACK_IMPORTED_MODULE_1__.Kl)
/* harmony export */ });
/* harmony import */ var _adapter_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3699);
/* harmony import */ var _discover_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3521);


/** Key Vault secrets that hold a key, raw or in a connection string: re-keyed as new versions. */
const keyVaultSecrets = {
    kind: _adapter_js__WEBPACK_IMPORTED_MODULE_0__/* .KEY_VAULT_SECRET */ .YT,
    actions: _adapter_js__WEBPACK_IMPORTED_MODULE_0__/* .KEY_VAULT_ACTIONS */ .H_,
    rekey: (azure, target, key) => target.to
        ? (0,_adapter_js__WEBPACK_IMPORTED_MODULE_0__/* .rekeySecret */ .Vj)(azure, target, key, target.to)
        : Promise.resolve('the key it is moved to is not known'),
};


/***/ }),

/***/ 7295:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $o: () => (/* binding */ tutorialTagsOf),
/* harmony export */   aK: () => (/* binding */ taggedFor),
/* harmony export */   yU: () => (/* binding */ nextVersion),
/* harmony export */   ys: () => (/* binding */ tagDisagreements)
/* harmony export */ });
/* unused harmony export TUTORIAL_TAGS */
/* harmony import */ var _util_resource_id_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1562);
/* harmony import */ var _util_time_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6043);


/**
 * The tags Microsoft's dual-credential rotation tutorial puts on a secret that holds a storage key
 * ("Automate the rotation of a secret for resources with two sets of authentication credentials").
 */
const TUTORIAL_TAGS = {
    /** key1 or key2: the key the value is. */
    credentialId: 'CredentialId',
    /** The storage account's resource ID. */
    providerAddress: 'ProviderAddress',
    /** How many days a new version is valid: its expiry is set that far from its creation. */
    validityPeriodDays: 'ValidityPeriodDays',
};
/** A tag by name, case-insensitively, with the name as the secret spells it. */
function findTag(tags, name) {
    const found = Object.entries(tags ?? {}).find(([n]) => n.toLowerCase() === name.toLowerCase());
    return found && { name: found[0], value: found[1] };
}
/** The resource ID a ProviderAddress tag names, and the key a CredentialId tag names, as tagged. */
function tutorialTagsOf(tags) {
    const provider = findTag(tags, TUTORIAL_TAGS.providerAddress)?.value.trim();
    const credential = findTag(tags, TUTORIAL_TAGS.credentialId)?.value.trim();
    return {
        ...(provider ? { providerAddress: provider } : {}),
        ...(credential ? { credentialId: credential } : {}),
    };
}
/** Tagged the tutorial's way for this account: ProviderAddress is its resource ID. */
function taggedFor(tags, accountId) {
    return (0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_1__/* .sameResource */ .nK)(findTag(tags, TUTORIAL_TAGS.providerAddress)?.value.trim(), accountId);
}
/**
 * What the tutorial's tags say that the value contradicts: a CredentialId that is not the key the
 * value holds, a ProviderAddress that names another resource. Each is a sentence for the report.
 */
function tagDisagreements(tags, accountId, holds) {
    const found = [];
    const credential = findTag(tags, TUTORIAL_TAGS.credentialId);
    if (credential) {
        const says = credential.value.trim().toLowerCase();
        if (says !== 'key1' && says !== 'key2') {
            found.push(`its ${credential.name} tag '${credential.value}' names neither key1 nor key2`);
        }
        else if (says !== holds) {
            const value = holds === 'stale' ? 'neither of the account’s keys' : holds;
            found.push(`its ${credential.name} tag says ${says}, but the value holds ${value}`);
        }
    }
    const provider = findTag(tags, TUTORIAL_TAGS.providerAddress);
    if (provider && !(0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_1__/* .sameResource */ .nK)(provider.value.trim(), accountId)) {
        found.push(`its ${provider.name} tag names another resource than the storage account`);
    }
    return found;
}
/**
 * The properties of the version a re-key writes: the same content type and tags, CredentialId (when
 * the secret has one) naming the new key, and the expiry renewed from ValidityPeriodDays when that
 * tag is a whole number of days; otherwise the old version's expiry, as it was.
 */
function nextVersion(current, key, now) {
    const tags = { ...(current.tags ?? {}) };
    const credential = findTag(tags, TUTORIAL_TAGS.credentialId);
    if (credential)
        tags[credential.name] = key;
    const days = validityDays(tags);
    const expiresOn = days === undefined ? current.expiresOn : new Date(now.getTime() + days * _util_time_js__WEBPACK_IMPORTED_MODULE_0__/* .DAY_MS */ .s);
    return {
        ...(current.contentType !== undefined ? { contentType: current.contentType } : {}),
        ...(current.tags ? { tags } : {}),
        ...(expiresOn ? { expiresOn } : {}),
    };
}
function validityDays(tags) {
    const text = findTag(tags, TUTORIAL_TAGS.validityPeriodDays)?.value.trim() ?? '';
    return /^\d{1,5}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}


/***/ }),

/***/ 3873:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F1: () => (/* binding */ rekeyedValue),
/* harmony export */   TO: () => (/* binding */ isForAccount),
/* harmony export */   kq: () => (/* binding */ readSecretValue)
/* harmony export */ });
/* unused harmony export holdingOfValue */
/* harmony import */ var _discover_inventory_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6563);

/** Key Vault secrets are strings; a storage key is 64 bytes in base64 (88 characters). */
const RAW_KEY = /^[A-Za-z0-9+/]{40,}={0,2}$/;
/** `name=value` fields split by `;`; a value may itself contain `=` (base64 padding). */
const FIELD = /^\s*([A-Za-z]+)\s*=(.*)$/s;
/**
 * What a secret value holds: a raw key, a connection string with an AccountKey, or (undefined)
 * neither — a password, a SAS connection string, something else.
 */
function readSecretValue(value) {
    const trimmed = value.trim();
    if (RAW_KEY.test(trimmed))
        return { form: 'key', key: trimmed };
    const fields = connectionStringFields(value);
    const key = fields?.get('accountkey')?.trim();
    if (!key)
        return undefined;
    const accountName = fields?.get('accountname')?.trim().toLowerCase();
    return { form: 'connection-string', key, ...(accountName ? { accountName } : {}) };
}
/** A connection string's fields by lower-case name; undefined when the value is not one. */
function connectionStringFields(value) {
    const fields = new Map();
    for (const part of value.split(';')) {
        if (part.trim() === '')
            continue;
        const match = FIELD.exec(part);
        if (!match)
            return undefined;
        fields.set(match[1].toLowerCase(), match[2]);
    }
    return fields.size > 0 ? fields : undefined;
}
/**
 * The secret holds a key of this account: a raw key (it names no account, so any raw key is taken
 * as the account's: key1, key2, or stale) or a connection string naming the account.
 */
function isForAccount(content, accountName) {
    return content.form === 'key' || content.accountName === accountName.toLowerCase();
}
/** key1, key2, or stale: which of the account's keys the value holds. */
function holdingOfValue(content, keys) {
    return holdingOf(content.key, keys);
}
/**
 * The value of the new version: in the same form as the old one, the raw key, or the same
 * connection string with only its AccountKey replaced (every other field, order and separator kept).
 */
function rekeyedValue(value, content, key) {
    if (content.form === 'key')
        return key;
    return value
        .split(';')
        .map((part) => {
        const match = FIELD.exec(part);
        if (!match || match[1].toLowerCase() !== 'accountkey')
            return part;
        const [name] = part.split('=', 1);
        return `${name}=${key}`;
    })
        .join(';');
}


/***/ }),

/***/ 9244:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EF: () => (/* binding */ accountKeys),
/* harmony export */   OJ: () => (/* binding */ readSas),
/* harmony export */   _m: () => (/* binding */ renewedToken),
/* harmony export */   lD: () => (/* binding */ heldSas),
/* harmony export */   s1: () => (/* binding */ verifyStoredSas)
/* harmony export */ });
/* unused harmony exports HeldSas, holdingOfSas */
/* harmony import */ var _plan_sas_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2022);
/* harmony import */ var _sas_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5346);
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4537);



/**
 * A consumer's SAS token and the resource it is used on, as its adapter read them. It prints,
 * inspects and serialises as a placeholder, so a log line or report that meets it by mistake
 * shows no token.
 */
class HeldSas {
    resource;
    #token;
    constructor(token, resource) {
        this.resource = resource;
        this.#token = token;
    }
    get token() {
        return this.#token;
    }
    toJSON() {
        return '[SAS token]';
    }
    toString() {
        return '[SAS token]';
    }
    [Symbol.for('nodejs.util.inspect.custom')]() {
        return '[SAS token]';
    }
}
const heldSas = (value) => value instanceof HeldSas ? value : undefined;
/** The account's keys by name, as signedBy takes them. */
function accountKeys(keys) {
    const value = (name) => keys.find((k) => k.name === name)?.value ?? '';
    return { key1: value('key1'), key2: value('key2') };
}
/** Which key signed the consumer's token, and whether it is still alive; the token kept aside. */
function readSas(secret, account, keys, resource, now, policy) {
    if (secret.kind !== 'Sas' || secret.sasToken === '') {
        return {
            sas: {
                signedBy: 'unknown',
                kind: 'other',
                expired: false,
                reason: 'the service returned no SAS token for it',
            },
        };
    }
    (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(secret.sasToken);
    const verdict = (0,_sas_index_js__WEBPACK_IMPORTED_MODULE_1__/* .signedBy */ .qI)(secret.sasToken, account, accountKeys(keys), resource, now);
    const startsOn = (0,_sas_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseSasToken */ .co)(secret.sasToken).startsOn;
    const refusedByPolicy = (0,_plan_sas_js__WEBPACK_IMPORTED_MODULE_0__/* .outOfSasPolicy */ .lu)({ startsOn, expiresOn: verdict.expiresOn }, policy);
    const sas = { ...verdict, startsOn, ...(refusedByPolicy ? { refusedByPolicy } : {}) };
    return { sas, holds: holdingOfSas(sas), sasToken: new HeldSas(secret.sasToken, resource) };
}
/**
 * A live token depends on the key that signed it; an expired one, one signed by neither or one the
 * account's SAS policy refuses is broken.
 */
function holdingOfSas(sas) {
    if (sas.signedBy === 'neither')
        return 'stale';
    if (sas.signedBy !== 'key1' && sas.signedBy !== 'key2')
        return undefined;
    return (0,_plan_sas_js__WEBPACK_IMPORTED_MODULE_0__/* .isLiveToken */ .KC)(sas) ? sas.signedBy : 'stale';
}
/** The consumer's token re-signed by the key (masked at once), or why it cannot be. */
function renewedToken(held, signing) {
    const renewed = (0,_sas_index_js__WEBPACK_IMPORTED_MODULE_1__/* .reissue */ .dD)(held.token, signing.account, signing.keys[signing.key], held.resource);
    if (!renewed.ok)
        return `its SAS token cannot be re-issued: ${renewed.reason}`;
    (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(renewed.token);
    return { token: renewed.token };
}
/** Confirms the service stored a token the target key signed, by reading the secret back. */
function verifyStoredSas(secret, held, signing) {
    if (secret.kind !== 'Sas') {
        return 'the service accepted the update but reading the secret back returns no SAS token';
    }
    (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(secret.sasToken);
    const verdict = (0,_sas_index_js__WEBPACK_IMPORTED_MODULE_1__/* .signedBy */ .qI)(secret.sasToken, signing.account, signing.keys, held.resource);
    return verdict.signedBy === signing.key
        ? undefined
        : `the service accepted the new SAS token but the token read back is ${verdict.signedBy === 'neither' ? 'signed by neither key' : `signed by ${verdict.signedBy}`}, not ${signing.key}`;
}


/***/ }),

/***/ 6472:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ DiscoveryError),
/* harmony export */   k: () => (/* binding */ discover)
/* harmony export */ });
/* harmony import */ var _util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3731);
/* harmony import */ var _consumers_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6869);
/* harmony import */ var _consumers_key_vault_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2720);
/* harmony import */ var _inventory_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6563);
/* harmony import */ var _util_resource_id_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1562);
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4537);






/**
 * Observes everything that depends on the account's keys, inside the named workspaces and in every
 * other workspace the login can see. Reads only; every key value it sees is already masked by the
 * port and is compared in memory.
 *
 * Nothing waits for more than it needs: the account, its keys and the workspaces are read at once;
 * every workspace is inspected as soon as it is found, all of them in parallel; each listing is
 * streamed, a secret read starting as soon as its page arrives. One limiter bounds every call.
 */
async function discover(azure, inputs) {
    const limit = new _util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .Limiter */ .jG(inputs.concurrency);
    const accountName = inputs.storageAccount.name;
    const account = (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(limit.run(() => step(`Storage account '${accountName}'`, () => azure.getStorageAccount(inputs.storageAccount)), 'urgent'));
    const listed = limit.run(() => step(`Listing the keys of '${accountName}'`, () => azure.listKeys(inputs.storageAccount)), 'urgent');
    const keys = (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(Promise.all([account, listed]).then(([props, found]) => {
        if (found.length !== 2) {
            throw new Error(`Storage account '${accountName}' returned ${found.length} access keys instead of key1 and key2.`);
        }
        return withCreationTimes(found, props);
    }));
    const context = {
        account: { name: accountName, storageSuffix: inputs.cloud.storageSuffix },
        keys,
        limit,
        now: new Date(),
        sasPolicy: (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(account.then((props) => props.sasPolicy)),
    };
    const inspect = (ws, inScope) => inspectWorkspace(azure, ws, inScope, account, context);
    const found = (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(findWorkspaces(azure, inputs, limit));
    const vaults = (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(account.then((props) => inspectVaults(azure, inputs, { name: accountName, id: props.id }, context)));
    const uninspected = [];
    const inspected = (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(found.then(({ named, others }) => Promise.all([
        Promise.all(named.map((ws) => inspect(ws, true))),
        Promise.all(others.map((ws) => inspect(ws, false).catch((error) => ({
            ref: ws.ref,
            id: ws.id,
            inScope: false,
            usesAccountAsDefault: false,
            consumers: [],
            otherConsumers: 0,
            unread: [{ name: `workspace '${ws.ref.name}'`, reason: reasonOf(error) }],
        })))),
    ])));
    // The account's own errors come first, as when everything was read in turn.
    const [props, accountKeys] = [await account, await keys];
    uninspected.push(...(await found).uninspected);
    const [named, others] = await inspected;
    const inVaults = await vaults;
    const usingAccount = others
        .filter((ws) => ws.usesAccountAsDefault || ws.consumers.length > 0 || ws.unread?.length)
        .sort((a, b) => a.ref.name.localeCompare(b.ref.name));
    return {
        account: {
            ref: inputs.storageAccount,
            id: props.id,
            keyExpirationDays: props.keyExpirationDays,
            allowSharedKeyAccess: props.allowSharedKeyAccess,
            sasPolicy: props.sasPolicy,
        },
        keys: accountKeys,
        workspaces: [...named, ...inVaults, ...usingAccount],
        uninspected: uninspected.sort((a, b) => a.name.localeCompare(b.name)),
        observedAt: new Date(),
    };
}
/** listKeys gives each key's creation time; the account's keyCreationTime fills a missing one. */
function withCreationTimes(keys, account) {
    return keys.map((k) => ({ ...k, createdOn: k.createdOn ?? account.keyCreationTime[k.name] }));
}
/** The named workspaces and, read at the same time, every other one the login can list. */
async function findWorkspaces(azure, inputs, limit) {
    const scope = inputs.workspaces;
    const read = (fn) => limit.run(fn, 'urgent');
    if (scope.kind === 'all' && !scope.resourceGroup) {
        // Every workspace: those of subscription-id, and those of the account's own subscription.
        const accountSubscription = inputs.storageAccount.subscriptionId;
        const elsewhere = sameId(accountSubscription, scope.subscriptionId)
            ? undefined
            : (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(read(() => azure.listWorkspaces(accountSubscription)));
        const all = await step(`Listing the workspaces in subscription ${scope.subscriptionId}`, () => read(() => azure.listWorkspaces(scope.subscriptionId)));
        const uninspected = [];
        if (elsewhere) {
            try {
                all.push(...(await elsewhere));
            }
            catch (error) {
                uninspected.push(unlisted(accountSubscription.toLowerCase(), error));
            }
        }
        return { named: all, others: [], uninspected };
    }
    const subscriptions = [
        ...new Set([
            inputs.storageAccount.subscriptionId,
            ...(scope.kind === 'all'
                ? [scope.subscriptionId]
                : scope.workspaces.map((ref) => ref.subscriptionId)),
        ].map((id) => id.toLowerCase())),
    ];
    const listings = subscriptions.map((subscriptionId) => (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(read(() => azure.listWorkspaces(subscriptionId))));
    const named = scope.kind === 'all'
        ? await step(`Listing the workspaces in resource group '${scope.resourceGroup}'`, () => read(() => azure.listWorkspaces(scope.subscriptionId, scope.resourceGroup)))
        : await Promise.all(scope.workspaces.map((ref) => step(`Workspace '${ref.name}' in resource group '${ref.resourceGroup}'`, () => read(() => azure.getWorkspace(ref)))));
    const inScope = new Set(named.map((ws) => (0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_5__/* .refKey */ .XF)(ws.ref)));
    const others = [];
    const uninspected = [];
    for (const [index, listing] of listings.entries()) {
        try {
            others.push(...(await listing).filter((ws) => !inScope.has((0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_5__/* .refKey */ .XF)(ws.ref))));
        }
        catch (error) {
            uninspected.push(unlisted(subscriptions[index], error));
        }
    }
    return { named, others, uninspected };
}
/** A subscription whose workspaces could not be listed; denied when the login may not list them. */
function unlisted(subscriptionId, error) {
    const status = error.statusCode;
    return {
        name: `the workspaces of subscription ${subscriptionId}`,
        reason: reasonOf(error),
        ...(status === 401 || status === 403 ? { denied: true } : {}),
    };
}
const sameId = (a, b) => a.toLowerCase() === b.toLowerCase();
async function inspectWorkspace(azure, workspace, inScope, account, context) {
    const ref = workspace.ref;
    // What a workspace the run only observes cannot read is recorded as unread: it may hold either
    // key. A managed workspace that cannot be read stops discovery.
    const unread = [];
    const observe = (what, read, failed) => inScope
        ? read
        : read.catch((error) => {
            unread.push({ name: what, reason: reasonOf(error) });
            return failed;
        });
    const kindContext = inScope
        ? context
        : { ...context, unreadSecret: (error) => reasonOf(error) };
    // The workspace's own key is read alongside its listings, when it uses the account.
    const ownKey = account.then((props) => (0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_5__/* .sameResource */ .nK)(workspace.storageAccountId, props.id)
        ? observe(`the own storage key of workspace '${ref.name}'`, step(`Reading the storage key of workspace '${ref.name}'`, () => context.limit.run(() => azure.workspaceStorageKey(ref))).then((value) => ({ value, unknown: false })), { value: undefined, unknown: true })
        : undefined);
    const [own, ...kinds] = await Promise.all([
        (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(ownKey),
        ..._consumers_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ADAPTERS */ .R.map((adapter) => (0,_util_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .started */ .A4)(observe(`the ${adapter.kind}s of workspace '${ref.name}'`, step(`Listing the ${adapter.kind}s of workspace '${ref.name}'`, () => adapter.discover(azure, ref, kindContext)), { consumers: [], others: 0 }))),
    ]);
    const consumers = kinds
        .flatMap((k) => k.consumers)
        .map((c) => ({ ...c, inScope }))
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    return {
        ref,
        id: workspace.id,
        inScope,
        usesAccountAsDefault: own !== undefined,
        holds: own?.unknown ? 'unknown' : own && (0,_inventory_js__WEBPACK_IMPORTED_MODULE_2__/* .workspaceHolding */ .z3)(own.value, await context.keys),
        consumers,
        otherConsumers: kinds.reduce((n, k) => n + k.others, 0),
        ...(unread.length > 0 ? { unread: unread.sort((a, b) => a.name.localeCompare(b.name)) } : {}),
    };
}
/**
 * The vaults the key-vaults input names, each read like a managed workspace: its secrets that hold
 * a key of the account are consumers the run re-keys. A vault that cannot be found stops discovery;
 * what of it cannot be read is recorded as unread (it may hold either key).
 */
async function inspectVaults(azure, inputs, account, context) {
    const requested = inputs.keyVaults ?? [];
    if (requested.length === 0)
        return [];
    const found = await step('Key Vaults', () => (0,_consumers_key_vault_index_js__WEBPACK_IMPORTED_MODULE_1__/* .resolveVaults */ .K7)(azure, requested.map((v) => v.vault), inputs.storageAccount.subscriptionId, context.limit));
    return Promise.all(found.map(async (vault, index) => {
        const input = requested[index];
        const request = { vault, tagged: input.tagged, named: input.secrets };
        const seen = await step(`Reading the secrets of key vault '${vault.ref.name}'`, () => (0,_consumers_key_vault_index_js__WEBPACK_IMPORTED_MODULE_1__/* .discoverVault */ .Kl)(azure, request, account, context.keys, context.limit));
        return {
            kind: 'key-vault',
            vault: { rbacAuthorization: vault.rbacAuthorization, accessPolicies: vault.accessPolicies },
            ref: vault.ref,
            id: vault.id,
            inScope: true,
            usesAccountAsDefault: false,
            consumers: seen.consumers.map((c) => ({ ...c, inScope: true })),
            otherConsumers: seen.others,
            ...(seen.unread.length > 0 ? { unread: seen.unread } : {}),
        };
    }));
}
function reasonOf(error) {
    return (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .describeError */ .Uc)(error instanceof DiscoveryError ? error.cause : error);
}
/** Prefixes a failed read with what was being read, so the one error says where discovery stopped. */
async function step(what, fn) {
    try {
        return await fn();
    }
    catch (error) {
        throw new DiscoveryError(what, error);
    }
}
class DiscoveryError extends Error {
    what;
    cause;
    constructor(what, cause) {
        super(what);
        this.what = what;
        this.cause = cause;
        this.name = 'DiscoveryError';
    }
}


/***/ }),

/***/ 6563:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D8: () => (/* binding */ deniedListings),
/* harmony export */   Fo: () => (/* binding */ unreadHolders),
/* harmony export */   H8: () => (/* binding */ refOf),
/* harmony export */   JO: () => (/* binding */ holdingOf),
/* harmony export */   KD: () => (/* binding */ outsideWorkspaces),
/* harmony export */   Ki: () => (/* binding */ consumerId),
/* harmony export */   XR: () => (/* binding */ allConsumers),
/* harmony export */   _8: () => (/* binding */ describeConsumer),
/* harmony export */   _I: () => (/* binding */ rewrittenByResync),
/* harmony export */   fr: () => (/* binding */ dependsOn),
/* harmony export */   vY: () => (/* binding */ usesAccountKey),
/* harmony export */   ve: () => (/* binding */ knownHolding),
/* harmony export */   wn: () => (/* binding */ managedWorkspaces),
/* harmony export */   z3: () => (/* binding */ workspaceHolding)
/* harmony export */ });
/* harmony import */ var _util_resource_id_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1562);

function holdingOf(value, keys) {
    return keys.find((k) => value !== undefined && k.value === value)?.name ?? 'stale';
}
/** A workspace that reaches its storage with its identity has no userStorageKey: it holds no key. */
function workspaceHolding(value, keys) {
    return value ? holdingOf(value, keys) : undefined;
}
/** A copy's holding once known; unknown ones are outside the managed workspaces, never acted on. */
const knownHolding = (holds) => holds === 'unknown' ? undefined : holds;
const consumerId = (c) => `${c.kind}:${(0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_0__/* .refKey */ .XF)(c.workspace)}/${c.name}`;
const refOf = (c) => ({
    kind: c.kind,
    workspace: c.workspace,
    name: c.name,
});
const usesAccountKey = (c) => c.auth === 'AccountKey';
/** The key a consumer's copy or live SAS token depends on: its regeneration breaks the consumer. */
const dependsOn = (c) => c.auth !== 'Other' && (c.holds === 'key1' || c.holds === 'key2') ? c.holds : undefined;
const allConsumers = (inventory) => inventory.workspaces.flatMap((ws) => ws.consumers);
/** The workspaces the run manages, and those it only observes. */
const managedWorkspaces = (inventory) => inventory.workspaces.filter((ws) => ws.inScope);
const outsideWorkspaces = (inventory) => inventory.workspaces.filter((ws) => !ws.inScope);
/** "datastore 'x' (workspace 'ws')": how messages name a consumer. */
const describeConsumer = (c) => c.kind === 'key-vault-secret'
    ? `secret '${c.name}' (key vault '${c.workspace.name}')`
    : `${c.kind} '${c.name}' (workspace '${c.workspace.name}')`;
/**
 * What the run could not read that may hold either key: outside workspaces' own copies, listings
 * and secrets, and workspace listings that failed for another reason than a refusal. Each counts
 * as a holder of both keys.
 */
function unreadHolders(inventory) {
    const unread = inventory.uninspected
        .filter((u) => !u.denied)
        .map((u) => ({ ...u, id: `unread:${u.name}` }));
    for (const ws of inventory.workspaces) {
        unread.push(...(ws.unread ?? []).map((u) => ({ ...u, id: `unread:${u.name}` })));
        for (const c of ws.consumers.filter((c) => c.holds === 'unknown')) {
            unread.push({
                id: consumerId(c),
                name: `${c.kind === 'key-vault-secret' ? 'the value' : 'the secret'} of ${describeConsumer(c)}`,
                reason: c.unread ?? 'unknown',
            });
        }
    }
    return unread;
}
/** Listings of workspaces the login may not read: outside what the run can check. */
const deniedListings = (inventory) => inventory.uninspected.filter((u) => u.denied);
/**
 * The datastores Azure ML creates with a workspace, on its default storage. A resync may rewrite
 * their credentials too (undocumented), so after one their key is unknown until read again.
 */
const SYSTEM_DATASTORES = new Set([
    'workspaceblobstore',
    'workspacefilestore',
    'workspaceartifactstore',
    'workspaceworkingdirectory',
]);
/** A system datastore (or the default one): a resync of its workspace may rewrite it. */
function rewrittenByResync(datastore) {
    return datastore.isDefault === true || SYSTEM_DATASTORES.has(datastore.name.toLowerCase());
}


/***/ }),

/***/ 5961:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ accountInputForReport),
/* harmony export */   g: () => (/* binding */ withoutSecretValues)
/* harmony export */ });
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4537);

/** Inputs that are secrets by design: masked, never checked for looking like one. */
const SECRET_INPUTS = new Set(['github-token']);
/**
 * Wraps an input reader so that a value which looks like a key, a SAS token or a connection
 * string (pasted into the wrong input) is masked and read as empty: no message, summary or
 * report can echo it. `problems` names each such input, without its value.
 */
function withoutSecretValues(read) {
    const hidden = [];
    const guarded = (name) => {
        const value = read(name);
        if (SECRET_INPUTS.has(name) || !(0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .looksLikeSecret */ .WW)(value))
            return value;
        (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .maskSecret */ .$l)(value.trim());
        if (!hidden.includes(name))
            hidden.push(name);
        return '';
    };
    return {
        read: guarded,
        /** The input problems with those about the hidden inputs replaced by one that names each. */
        problems(found) {
            const rest = found.filter((p) => !hidden.some((name) => p.startsWith(`${name} is required`)));
            return [
                ...hidden.map((name) => `${name} looks like a key, SAS token or connection string; its value is not shown. Give what the input asks for (see action.yml) and keep secrets out of the workflow file.`),
                ...rest,
            ];
        },
    };
}
/** The storage-account input as a report may name it: not at all when it looks like a secret. */
function accountInputForReport(value) {
    if (!(0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .looksLikeSecret */ .WW)(value))
        return value.trim();
    (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .maskSecret */ .$l)(value.trim());
    return '';
}


/***/ }),

/***/ 5848:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $n: () => (/* binding */ parseLogin),
/* harmony export */   HU: () => (/* binding */ parseChoice),
/* harmony export */   JO: () => (/* binding */ RESOURCE_GROUP),
/* harmony export */   NA: () => (/* binding */ parseOptionalNumber),
/* harmony export */   Sm: () => (/* binding */ GUID),
/* harmony export */   YC: () => (/* binding */ parseRequireUnusedDays),
/* harmony export */   dO: () => (/* binding */ parseKeyUsageDays),
/* harmony export */   fc: () => (/* binding */ DEFAULT_RESYNC_TIMEOUT_MINUTES),
/* harmony export */   jo: () => (/* binding */ parsePositive),
/* harmony export */   lw: () => (/* binding */ parseCloud),
/* harmony export */   nY: () => (/* binding */ parseConcurrency),
/* harmony export */   yG: () => (/* binding */ parseBoolean)
/* harmony export */ });
/* harmony import */ var _azure_cloud_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6370);

/** Inputs that are one value each: parsed, or a problem pushed that names the input. */
// Letters, digits, '-', '_', '.', '(' and ')', not ending in a period (so never '.' or '..').
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/u;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_AUDIENCE = 'api://AzureADTokenExchange';
function parseBoolean(name, value, fallback, problems) {
    if (value === '')
        return fallback;
    if (/^true$/i.test(value))
        return true;
    if (/^false$/i.test(value))
        return false;
    problems.push(`${name} '${value}' is not a boolean. Use true or false.`);
    return fallback;
}
const parseOptionalNumber = (name, value, problems) => parsePositive(name, value, 'days', problems);
function parsePositive(name, value, unit, problems) {
    if (value === '')
        return undefined;
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n) || n <= 0) {
        problems.push(`${name} '${value}' is not a positive number of ${unit}.`);
        return undefined;
    }
    return n;
}
/** 30: see resync-timeout-minutes in action.yml. */
const DEFAULT_RESYNC_TIMEOUT_MINUTES = 30;
/** 16: see Performance in the README (the measurements that chose it). */
const DEFAULT_CONCURRENCY = 16;
const parseConcurrency = (value, problems) => parseWholeNumber('concurrency', value, { least: 1, most: 64 }, DEFAULT_CONCURRENCY, problems);
/** The look-back window of the key-usage evidence: 7 days unless set. */
const parseKeyUsageDays = (value, problems) => parseWholeNumber('key-usage-days', value, { least: 1, most: 730, unit: 'days' }, 7, problems);
/** require-unused-days: off unless set; a whole number of days the key-usage query can cover. */
const parseRequireUnusedDays = (value, problems) => parseWholeNumber('require-unused-days', value, { least: 1, most: 730, unit: 'days' }, undefined, problems);
/** A whole number within a range; `fallback` when the input is empty or wrong (a problem says which). */
function parseWholeNumber(name, value, range, fallback, problems) {
    if (value === '')
        return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < range.least || n > range.most) {
        const unit = range.unit ? ` of ${range.unit}` : '';
        problems.push(`${name} '${value}' is not a whole number${unit} from ${range.least} to ${range.most}.`);
        return fallback;
    }
    return n;
}
/** One of a fixed set of words, case-insensitive; '' gives the default. */
function parseChoice(name, value, choices, fallback, problems, meanings) {
    if (value === '')
        return fallback;
    const choice = choices.find((c) => c === value.toLowerCase());
    if (choice)
        return choice;
    const explained = meanings ? ` (${meanings})` : '';
    problems.push(`${name} '${value}' is not one of: ${choices.join(', ')}${explained}.`);
    return fallback;
}
function parseCloud(name, armEndpoint, problems, logsEndpoint = '') {
    const cloudName = name === '' ? 'AzureCloud' : _azure_cloud_js__WEBPACK_IMPORTED_MODULE_0__/* .CLOUD_NAMES */ .vD.find((c) => c.toLowerCase() === name.toLowerCase());
    if (!cloudName) {
        problems.push(`environment '${name}' is not one of: ${_azure_cloud_js__WEBPACK_IMPORTED_MODULE_0__/* .CLOUD_NAMES */ .vD.join(', ')}.`);
        return undefined;
    }
    if (armEndpoint && !isHttpsUrl(armEndpoint)) {
        problems.push(`arm-endpoint '${armEndpoint}' is not an https:// URL.`);
        return undefined;
    }
    if (logsEndpoint && !isHttpsUrl(logsEndpoint)) {
        problems.push(`logs-endpoint '${logsEndpoint}' is not an https:// URL.`);
        return undefined;
    }
    return (0,_azure_cloud_js__WEBPACK_IMPORTED_MODULE_0__/* .cloudByName */ .WA)(cloudName, armEndpoint || undefined, logsEndpoint || undefined);
}
function isHttpsUrl(value) {
    try {
        return new URL(value).protocol === 'https:';
    }
    catch {
        return false;
    }
}
function parseLogin(clientId, tenantId, audience, problems) {
    if (!clientId && !tenantId)
        return { kind: 'ambient' };
    if (!clientId || !tenantId) {
        problems.push('client-id and tenant-id go together: give both to log in with GitHub OIDC, or neither to use the azure/login session.');
        return { kind: 'ambient' };
    }
    if (!GUID.test(clientId))
        problems.push(`client-id '${clientId}' is not a GUID.`);
    if (!GUID.test(tenantId) && !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(tenantId)) {
        problems.push(`tenant-id '${tenantId}' is not a tenant GUID or domain.`);
    }
    return { kind: 'oidc', clientId, tenantId, audience: audience || DEFAULT_AUDIENCE };
}


/***/ }),

/***/ 4832:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dz: () => (/* binding */ InputError),
  GP: () => (/* binding */ getInputs),
  mS: () => (/* binding */ requestedMode)
});

// UNUSED EXPORTS: KEY_NAME_CHOICES, MODE_CHOICES, NOTIFY_CHOICES, parseInputs

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/util/resource-id.ts
var resource_id = __webpack_require__(1562);
// EXTERNAL MODULE: ./src/plan/sas.ts
var plan_sas = __webpack_require__(2022);
// EXTERNAL MODULE: ./src/inputs/input-secrets.ts
var input_secrets = __webpack_require__(5961);
// EXTERNAL MODULE: ./src/inputs/key-vaults.ts
var key_vaults = __webpack_require__(7586);
;// CONCATENATED MODULE: ./src/inputs/refresh-apps.ts

/**
 * Parses `refresh-apps`: App Service / Functions apps by resource ID (Microsoft.Web/sites), one a
 * line; the same app twice is one. Their Key Vault references are refreshed after the run wrote
 * new versions of the secrets `key-vaults` names, so the input means nothing without it.
 */
function parseRefreshApps(lines, keyVaultsGiven) {
    const apps = new Map();
    const problems = [];
    for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
        const ref = (0,resource_id/* parseResourceId */.RQ)(line, 'Microsoft.Web', 'sites');
        if (!ref) {
            problems.push(`refresh-apps: '${line}' is not the resource ID of an App Service or Functions app (/subscriptions/…/resourceGroups/…/providers/Microsoft.Web/sites/<name>)`);
            continue;
        }
        apps.set(line.toLowerCase().replace(/\/+$/, ''), ref);
    }
    if (apps.size > 0 && !keyVaultsGiven) {
        problems.push('refresh-apps needs key-vaults: the apps are refreshed after the run writes new versions of the secrets key-vaults names.');
    }
    return { apps: [...apps.values()], problems };
}

// EXTERNAL MODULE: ./src/inputs/input-values.ts
var input_values = __webpack_require__(5848);
// EXTERNAL MODULE: ./src/util/secrets.ts
var secrets = __webpack_require__(4537);
;// CONCATENATED MODULE: ./src/inputs/inputs.ts








const SAS_MEANINGS = 'warn: rotate and name the SAS consumers it breaks; skip-keys: never regenerate a key that signs a live SAS token; renew: re-issue those tokens with the key the other consumers end on';
const KEY_NAME_CHOICES = ['auto', 'key1', 'key2', 'both', 'none'];
/** `rotate`: rotate one account's key; `inventory`: only list a subscription's accounts (read-only). */
const MODE_CHOICES = ['rotate', 'inventory'];
/** `issue`: open, comment on and close a GitHub issue per storage account (see notify.ts). */
const NOTIFY_CHOICES = ['none', 'issue'];
class InputError extends Error {
    problems;
    constructor(problems) {
        super(problems.length === 1
            ? `Invalid input: ${problems[0]}`
            : `Invalid inputs:\n${problems.map((p) => `- ${p}`).join('\n')}`);
        this.problems = problems;
        this.name = 'InputError';
    }
}
const WORKSPACE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
const STORAGE_NAME = /^[a-z0-9]{3,24}$/;
/** Reads every input through @actions/core; nothing else in the action calls core.getInput. */
function getInputs(env = process.env) {
    const inputs = parseInputs((name) => core/* getInput */.V4(name), env);
    (0,secrets/* maskSecret */.$l)(inputs.githubToken);
    return inputs;
}
/** Validates every input into one typed object, or throws one InputError naming each problem. */
function parseInputs(readInput, env = process.env) {
    const problems = [];
    const guard = (0,input_secrets/* withoutSecretValues */.g)(readInput);
    const read = guard.read;
    const get = (name) => read(name).trim();
    const resourceGroup = get('resource-group');
    if (resourceGroup && !input_values/* RESOURCE_GROUP */.JO.test(resourceGroup)) {
        problems.push(`resource-group '${resourceGroup}' is not a valid resource group name.`);
    }
    const accountInput = get('storage-account');
    const accountGroup = get('storage-account-resource-group') || resourceGroup;
    const workspaceLines = read('workspace')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0);
    const explicitSubscription = get('subscription-id') || env.AZURE_SUBSCRIPTION_ID?.trim() || '';
    const idSubscription = [accountInput, ...workspaceLines]
        .filter(resource_id/* looksLikeResourceId */.RY)
        .map(resource_id/* subscriptionOf */.XD)
        .find((s) => s !== '');
    const subscriptionId = explicitSubscription || idSubscription || '';
    if (!subscriptionId) {
        problems.push('subscription-id is required: set the input or AZURE_SUBSCRIPTION_ID, or give a resource ID.');
    }
    else if (!input_values/* GUID */.Sm.test(subscriptionId)) {
        problems.push(`subscription-id '${subscriptionId}' is not a subscription ID (a GUID).`);
    }
    const storageAccount = parseStorageAccount(accountInput, accountGroup, subscriptionId, problems);
    const workspaces = parseWorkspaces(workspaceLines, resourceGroup, subscriptionId, problems);
    const dryRun = (0,input_values/* parseBoolean */.yG)('dry-run', get('dry-run'), false, problems);
    const keyName = (0,input_values/* parseChoice */.HU)('key-name', get('key-name'), KEY_NAME_CHOICES, 'auto', problems);
    const maxKeyAgeDays = (0,input_values/* parseOptionalNumber */.NA)('max-key-age-days', get('max-key-age-days'), problems);
    const allowOutsideBreakage = (0,input_values/* parseBoolean */.yG)('allow-outside-breakage', get('allow-outside-breakage'), false, problems);
    const allowWorkspaceOutage = (0,input_values/* parseBoolean */.yG)('allow-workspace-outage', get('allow-workspace-outage'), true, problems);
    const sas = (0,input_values/* parseChoice */.HU)('sas', get('sas'), plan_sas/* SAS_CHOICES */.H3, 'warn', problems, SAS_MEANINGS);
    const keyUsageDays = (0,input_values/* parseKeyUsageDays */.dO)(get('key-usage-days'), problems);
    const requireUnusedDays = (0,input_values/* parseRequireUnusedDays */.YC)(get('require-unused-days'), problems);
    const concurrency = (0,input_values/* parseConcurrency */.nY)(get('concurrency'), problems);
    const resyncTimeoutMinutes = (0,input_values/* parsePositive */.jo)('resync-timeout-minutes', get('resync-timeout-minutes'), 'minutes', problems) ??
        input_values/* DEFAULT_RESYNC_TIMEOUT_MINUTES */.fc;
    const cloud = (0,input_values/* parseCloud */.lw)(get('environment'), get('arm-endpoint'), problems, get('logs-endpoint'));
    const login = (0,input_values/* parseLogin */.$n)(get('client-id'), get('tenant-id'), get('audience'), problems);
    const notify = (0,input_values/* parseChoice */.HU)('notify', get('notify'), NOTIFY_CHOICES, 'none', problems);
    const keyVaults = (0,key_vaults/* parseKeyVaults */.md)(read('key-vaults').split(/\r?\n/));
    problems.push(...keyVaults.problems);
    const gracePeriodHours = (0,key_vaults/* parseGracePeriod */.v$)(get('grace-period-hours'), problems);
    const refreshApps = parseRefreshApps(read('refresh-apps').split(/\r?\n/), keyVaults.vaults.length > 0);
    problems.push(...refreshApps.problems);
    const mode = get('mode').toLowerCase();
    if (mode && !MODE_CHOICES.some((m) => m === mode)) {
        problems.push(`mode '${get('mode')}' is not one of: ${MODE_CHOICES.join(', ')}.`);
    }
    const githubToken = get('github-token');
    if (notify === 'issue' && !githubToken) {
        problems.push("github-token is required when notify is 'issue': leave it unset for the workflow's github.token, or give a token that may write issues.");
    }
    const all = guard.problems(problems);
    if (all.length > 0)
        throw new InputError(all);
    return {
        workspaces: workspaces,
        storageAccount: storageAccount,
        dryRun,
        keyName,
        maxKeyAgeDays,
        allowOutsideBreakage,
        allowWorkspaceOutage,
        sas,
        keyUsageDays,
        requireUnusedDays,
        concurrency,
        resyncTimeoutMinutes,
        cloud: cloud,
        login,
        notify,
        githubToken,
        keyVaults: keyVaults.vaults,
        gracePeriodHours,
        refreshApps: refreshApps.apps,
    };
}
/** The mode the inputs ask for, as written (validated by getInputs or getInventoryInputs). */
function requestedMode() {
    return core/* getInput */.V4('mode').trim().toLowerCase() || 'rotate';
}
function parseStorageAccount(value, resourceGroup, subscriptionId, problems) {
    if (!value) {
        problems.push('storage-account is required: a storage account name or its ARM resource ID.');
        return undefined;
    }
    if ((0,resource_id/* looksLikeResourceId */.RY)(value)) {
        const ref = (0,resource_id/* parseResourceId */.RQ)(value, ...resource_id/* STORAGE */.O3);
        if (!ref || !validRef(ref, /^[a-z0-9]{3,24}$/i)) {
            problems.push(`storage-account '${value}' is not a storage account resource ID. Expected /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{name}.`);
        }
        return ref && { ...ref, name: ref.name.toLowerCase() };
    }
    if (!STORAGE_NAME.test(value)) {
        problems.push(`storage-account '${value}' is not a valid storage account name (3-24 lowercase letters and digits).`);
        return undefined;
    }
    if (!resourceGroup) {
        problems.push('storage-account-resource-group (or resource-group) is required when storage-account is a name, not a resource ID.');
        return undefined;
    }
    return { subscriptionId, resourceGroup, name: value };
}
function parseWorkspaces(lines, resourceGroup, subscriptionId, problems) {
    if (lines.length === 0) {
        problems.push("workspace is required: one or more workspace names (one per line), ARM resource IDs, or '*'.");
        return undefined;
    }
    if (lines.includes('*')) {
        if (lines.length > 1) {
            problems.push("workspace: '*' means every workspace and cannot be combined with names.");
            return undefined;
        }
        return { kind: 'all', subscriptionId, resourceGroup: resourceGroup || undefined };
    }
    const workspaces = [];
    for (const line of lines) {
        if ((0,resource_id/* looksLikeResourceId */.RY)(line)) {
            const ref = (0,resource_id/* parseResourceId */.RQ)(line, ...resource_id/* WORKSPACES */.T4);
            if (ref && validRef(ref, WORKSPACE_NAME))
                workspaces.push(ref);
            else {
                problems.push(`workspace '${line}' is not a workspace resource ID. Expected /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name}.`);
            }
        }
        else if (!WORKSPACE_NAME.test(line)) {
            problems.push(`workspace '${line}' is not a valid workspace name (3-33 letters, digits, '-' or '_', starting with a letter or digit).`);
        }
        else if (!resourceGroup) {
            problems.push(`resource-group is required for workspace '${line}' (or give the workspace as a resource ID).`);
        }
        else {
            workspaces.push({ subscriptionId, resourceGroup, name: line });
        }
    }
    const seen = new Set();
    const unique = workspaces.filter((ws) => {
        const key = `${ws.subscriptionId}/${ws.resourceGroup}/${ws.name}`.toLowerCase();
        return seen.has(key) ? false : (seen.add(key), true);
    });
    return { kind: 'list', workspaces: unique };
}
/** Every part of a resource ID follows the same rules as the plain inputs. */
function validRef(ref, name) {
    return (input_values/* GUID */.Sm.test(ref.subscriptionId) && input_values/* RESOURCE_GROUP */.JO.test(ref.resourceGroup) && name.test(ref.name));
}


/***/ }),

/***/ 7586:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   md: () => (/* binding */ parseKeyVaults),
/* harmony export */   v$: () => (/* binding */ parseGracePeriod)
/* harmony export */ });
/* unused harmony export DEFAULT_GRACE_PERIOD_HOURS */
/* harmony import */ var _util_resource_id_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1562);

const VAULT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VAULT_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)(?:\/secrets\/([^/]+))?\/?$/i;
/**
 * Parses the `key-vaults` input: one vault or secret a line — `vault`, `vault/secret`, or a vault's
 * or secret's resource ID. Lines naming the same vault are merged. Returns the problems, if any.
 */
function parseKeyVaults(lines) {
    const byVault = new Map();
    const problems = [];
    for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
        const parsed = parseLine(line);
        if (typeof parsed === 'string') {
            problems.push(parsed);
            continue;
        }
        const key = 'ref' in parsed.vault ? parsed.vault.ref.name : parsed.vault.name;
        const known = byVault.get(key.toLowerCase());
        if (!known) {
            byVault.set(key.toLowerCase(), parsed);
            continue;
        }
        if ('ref' in parsed.vault)
            known.vault = parsed.vault;
        known.tagged ||= parsed.tagged;
        for (const s of parsed.secrets) {
            if (!known.secrets.some((k) => k.toLowerCase() === s.toLowerCase()))
                known.secrets.push(s);
        }
    }
    return { vaults: [...byVault.values()], problems };
}
function parseLine(line) {
    if ((0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_0__/* .looksLikeResourceId */ .RY)(line)) {
        const match = VAULT_ID.exec(line);
        if (!match) {
            return `key-vaults: '${line}' is not the resource ID of a Key Vault (/subscriptions/…/resourceGroups/…/providers/Microsoft.KeyVault/vaults/<name>) or of one of its secrets (…/secrets/<name>)`;
        }
        const [, subscriptionId, resourceGroup, name, secret] = match;
        return {
            vault: {
                ref: { subscriptionId: subscriptionId, resourceGroup: resourceGroup, name: name },
            },
            tagged: !secret,
            secrets: secret ? [secret] : [],
        };
    }
    const [vault = '', secret, ...rest] = line.split('/');
    if (!VAULT_NAME.test(vault) ||
        rest.length > 0 ||
        (secret !== undefined && !SECRET_NAME.test(secret))) {
        return `key-vaults: '${line}' is neither a vault name (3-24 letters, digits and dashes), 'vault/secret', nor a resource ID`;
    }
    return { vault: { name: vault }, tagged: secret === undefined, secrets: secret ? [secret] : [] };
}
/** 24: App Service and Functions refetch a Key Vault reference within 24 hours. */
const DEFAULT_GRACE_PERIOD_HOURS = 24;
/** grace-period-hours: a number of hours, 0 or more (0: a key is regenerated in the same run). */
function parseGracePeriod(value, problems) {
    if (value === '')
        return DEFAULT_GRACE_PERIOD_HOURS;
    const hours = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(hours)) {
        problems.push(`grace-period-hours '${value}' is not a number of hours (0 or more).`);
        return DEFAULT_GRACE_PERIOD_HOURS;
    }
    return hours;
}


/***/ }),

/***/ 3796:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
;// CONCATENATED MODULE: ./src/report/attention.ts
/** A person is needed when the report names something that needs one (a failure, a warning). */
function needsAttention(report) {
    return report.attention.length > 0;
}
/**
 * What the report tells the people on call. A clean dry run says nothing: it changed nothing, so it
 * cannot have settled what an earlier run left open.
 */
function attentionFromReport(report, runUrl) {
    const attention = needsAttention(report);
    if (!attention && report.mode === 'dry-run')
        return undefined;
    return {
        account: report.account.name,
        needsAttention: attention,
        headline: report.headline,
        details: report.attention,
        runUrl,
    };
}
/** The link to this workflow run, from the variables every runner sets. */
function runUrl(env = process.env) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    return `${server}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}

// EXTERNAL MODULE: ./src/azure/arm.ts + 8 modules
var arm = __webpack_require__(2408);
// EXTERNAL MODULE: ./src/azure/credential.ts
var credential = __webpack_require__(8098);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/execute/progress.ts
/** What a write cut short by a cancel is: neither done nor failed. */
const WRITE_UNANSWERED = 'the run was cancelled before its write was answered: whether it took is unknown (a rerun reads it back)';
const RESYNC_UNFINISHED = "the run was cancelled before the resync ended: the workspace's own copy is unconfirmed (a rerun resyncs it again)";
/** Why the run stopped: the cancel, with the signal that brought it (a cancel's reason) if named. */
function cancelledText(signal) {
    const by = typeof signal === 'string' ? ` (${signal})` : '';
    return `the run was cancelled${by}: nothing was started after that`;
}
/** Marks the run as stopped by the cancel (once): what is left is not started. */
function stopForCancel(run) {
    run.cancelled = true;
    run.stopped ??= cancelledText(run.cancel?.reason);
}
/**
 * The run as it stands, told as an Execution: each step's result; a step under way (only a cancelled
 * run is told before its steps end) as `unknown`, its writes unanswered; the steps not reached as
 * `not run`. Copies: what is still under way cannot change what was told. At the run's end, the
 * run's result.
 */
function progressOf(run, steps) {
    const now = run.now();
    const results = steps.map((step) => run.results.get(step) ??
        (run.underway.has(step)
            ? { step, status: 'unknown', error: underwayError(step) }
            : { step, status: 'not run' }));
    const consumers = new Map([...run.consumers].map(([id, o]) => [
        id,
        o.status === 'unknown' ? { ...o, error: WRITE_UNANSWERED } : { ...o },
    ]));
    const workspaces = new Map([...run.workspaces].map(([id, w]) => {
        const copy = w.status === 'unknown' ? { ...w, error: RESYNC_UNFINISHED } : { ...w };
        // A workspace copy still invalid (its resync failed, never ran or never ended) counts until now.
        const since = run.invalidSince.get(id);
        if (since !== undefined)
            copy.invalidForMs = (copy.invalidForMs ?? 0) + (now - since);
        return [id, copy];
    }));
    const cut = results.some((r) => r.status === 'unknown');
    const stopped = run.stopped ?? (cut ? cancelledText(run.cancel?.reason) : undefined);
    return {
        steps: results,
        regenerated: [...run.regenerated],
        uncertain: run.regenerating ?? run.uncertain,
        keysAfter: [...run.keys.values()].map((k) => ({ name: k.name, createdOn: k.createdOn })),
        consumers,
        workspaces,
        stopped,
        failed: results.some((r) => r.status !== 'done' && r.status !== 'not run') || stopped !== undefined,
        ...(run.cancelled || cut ? { cancelled: true } : {}),
    };
}
function underwayError(step) {
    switch (step.kind) {
        case 'regenerate':
            return `the run was cancelled before regenerating ${step.key} was answered: whether ${step.key} was regenerated is unknown (a rerun reads the keys back)`;
        case 'resync':
            return RESYNC_UNFINISHED;
        case 'move':
            return 'the run was cancelled while its consumers were being re-keyed: see each one';
    }
}

;// CONCATENATED MODULE: ./src/cancellation.ts



/**
 * A cancelled (or timed-out) job's step gets SIGINT, then SIGTERM about 7.5 s later, then SIGKILL
 * about 2.5 s after that. On the first SIGINT or SIGTERM the run starts nothing new and gives what
 * is under way SETTLE_MS to end, then reports; a second signal ends the process at once. The
 * report, summary and outputs are written within SETTLE_MS and a moment of the first signal,
 * before even a first SIGTERM is followed by the kill.
 */
const SETTLE_MS = 2_000;
/** How long a cancelled run's GitHub issue notification may take, after the report. */
const NOTIFY_MS = 2_000;
const SIGNALS = ['SIGINT', 'SIGTERM'];
/**
 * Listens for the runner's cancel from now on; `exit` ends the process. A test passes its own
 * `exit` and `source`: emitting a signal on the process would reach its other listeners too.
 */
function watchForCancel(
// process.exit(undefined) exits 0 whatever process.exitCode says (core.setFailed sets it).
exit = (code) => process.exit(code ?? process.exitCode), source = process) {
    const controller = new AbortController();
    let by;
    const onSignal = (received) => {
        if (by) {
            core/* error */.z3(`Cancelled again (${received}): exiting at once.`);
            return exit(128 + external_node_os_.constants.signals[received]);
        }
        by = received;
        core/* info */.pq(`Cancel requested (${received}): nothing new is started; what is under way gets ${SETTLE_MS / 1000} s to end, then the run reports.`);
        controller.abort(received);
    };
    for (const name of SIGNALS)
        source.on(name, onSignal);
    const afterCancel = (ms) => new Promise((resolve) => {
        const start = () => setTimeout(resolve, ms);
        if (controller.signal.aborted)
            start();
        else
            controller.signal.addEventListener('abort', start, { once: true });
    });
    return {
        signal: controller.signal,
        get by() {
            return by;
        },
        settle: (work) => Promise.race([work.then(() => true), afterCancel(SETTLE_MS).then(() => false)]),
        within: async (ms, work) => {
            await Promise.race([work, afterCancel(ms)]);
        },
        end: () => {
            for (const name of SIGNALS)
                source.off(name, onSignal);
            if (by)
                exit();
        },
    };
}
/**
 * What a cancelled run tells: the record as it stands (a copy: a rotation cut short is still under
 * way), with the execution's progress when the cancel cut it short, and "nothing was changed" when
 * no execution began.
 */
function cancelledRecord(record, signal, cutShort) {
    const told = { ...record, timings: [...record.timings], cancelled: { signal } };
    if (cutShort) {
        core/* endGroup */.N4();
        told.timings.push({ phase: `Cut short by ${signal}`, ms: untimed(cutShort.started, told) });
    }
    if (cutShort?.live) {
        // The execution as it stood, under way or between its parts, is not a whole run.
        const { plan, execution } = cutShort.live();
        const stopped = execution.stopped ?? cancelledText(signal);
        Object.assign(told, { plan, execution: { ...execution, stopped, failed: true } });
    }
    if (!told.execution && !told.failure) {
        told.failure = {
            message: `The run was cancelled (${signal}) before its first write: nothing was changed.`,
            beforeAnyWrite: true,
        };
    }
    return told;
}
/** The time since `started` that no finished phase of the record accounts for. */
function untimed(started, record) {
    return Date.now() - started - record.timings.reduce((sum, t) => sum + t.ms, 0);
}

// EXTERNAL MODULE: ./src/discover/discover.ts
var discover = __webpack_require__(6472);
// EXTERNAL MODULE: ./src/util/secrets.ts
var secrets = __webpack_require__(4537);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/azure/port.ts
var port = __webpack_require__(5488);
;// CONCATENATED MODULE: ./src/key-usage/evidence.ts


/**
 * The SHA-256 a storage log names a key by, upper-case hex: of the key's decoded bytes (as reported)
 * and, in case the service hashes the text, of its base64 text.
 */
function keyHashes(value) {
    const sha = (data) => (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex').toUpperCase();
    return [sha(Buffer.from(value, 'base64')), sha(Buffer.from(value, 'utf8'))];
}
/**
 * Turns the key-usage query's answer into evidence per key: each row's hash is compared with the
 * current key values here, in memory, so neither a key value nor its hash ever leaves the run.
 */
function keyUsageFromTable(table, keys, context) {
    const rows = readRows(table);
    const currentHashes = new Map(keys.map((k) => [k.name, new Set(keyHashes(k.value))]));
    let hashUnrecognised = false;
    const isCurrent = (row, key) => {
        if (currentHashes.get(key.name)?.has(row.hash))
            return true;
        // An older value cannot sign a request that succeeds after the regeneration that replaced it.
        const after = !!key.createdOn &&
            row.caller.succeeded > 0 &&
            Date.parse(row.caller.lastSeen) > key.createdOn.getTime();
        if (after)
            hashUnrecognised = true;
        return after;
    };
    const evidence = port/* KEY_NAMES */.V.flatMap((name) => {
        const key = keys.find((k) => k.name === name);
        if (!key)
            return [];
        const ofKey = rows.filter((r) => r.key === name);
        const current = ofKey.filter((r) => isCurrent(r, key));
        const older = ofKey.filter((r) => !current.includes(r));
        return [
            {
                key: name,
                current: usageOf(current),
                ...(older.length > 0 ? { older: usageOf(older) } : {}),
            },
        ];
    });
    const seenOnCurrent = evidence.flatMap((k) => k.current.top);
    for (const older of evidence.flatMap((k) => k.older?.top ?? [])) {
        older.broken = !seenOnCurrent.some((c) => sameCaller(c, older) && Date.parse(c.lastSeen) >= Date.parse(older.lastSeen));
    }
    const unattributed = rows.filter((r) => r.key === '');
    return {
        status: 'found',
        lookbackDays: context.lookbackDays,
        keys: evidence,
        ...(unattributed.length > 0 ? { refusedUnattributed: usageOf(unattributed) } : {}),
        services: context.services,
        partial: context.partial,
        ...(hashUnrecognised ? { hashUnrecognised } : {}),
        ...(context.partialError ? { partialError: context.partialError } : {}),
        ...(context.unreadable?.length ? { unreadableTables: context.unreadable } : {}),
    };
}
const sameCaller = (a, b) => a.ip === b.ip && a.userAgent === b.userAgent && a.authType === b.authType;
/** The rows of one or more key values together: totals per value, callers merged, busiest first. */
function usageOf(rows) {
    const totals = new Map();
    for (const r of rows)
        totals.set(r.hash, { requests: r.keyRequests, callers: r.keyCallers });
    const merged = [];
    for (const { caller } of rows) {
        const same = merged.find((c) => sameCaller(c, caller));
        if (!same) {
            merged.push({
                ...caller,
                services: [...caller.services],
                operations: [...caller.operations],
            });
            continue;
        }
        same.requests += caller.requests;
        same.succeeded += caller.succeeded;
        same.refused += caller.refused;
        same.services = union(same.services, caller.services);
        same.operations = union(same.operations, caller.operations);
        same.firstSeen = earliest(same.firstSeen, caller.firstSeen);
        same.lastSeen = latest(same.lastSeen, caller.lastSeen);
    }
    merged.sort((a, b) => b.requests - a.requests ||
        b.lastSeen.localeCompare(a.lastSeen) ||
        a.ip.localeCompare(b.ip) ||
        a.userAgent.localeCompare(b.userAgent));
    const sum = (f) => [...totals.values()].reduce((n, t) => n + f(t), 0);
    return {
        requests: sum((t) => t.requests),
        callers: sum((t) => t.callers),
        firstSeen: merged.map((c) => c.firstSeen).reduce(earliest, undefined),
        lastSeen: merged.map((c) => c.lastSeen).reduce(latest, undefined),
        top: merged,
    };
}
const union = (a, b) => [...new Set([...a, ...b])].sort();
const earliest = (a, b) => (a === undefined || b < a ? b : a);
const latest = (a, b) => (a === undefined || b > a ? b : a);
/** Reads the rows by column name, so a reordered answer reads the same; a missing column fails. */
function readRows(table) {
    const index = new Map(table.columns.map((c, i) => [c.name, i]));
    const at = (row, name) => {
        const i = index.get(name);
        if (i === undefined)
            throw new Error(`The key-usage answer has no column ${name}.`);
        return row[i];
    };
    const text = (row, name) => String(at(row, name) ?? '');
    const count = (row, name) => Number(at(row, name) ?? 0) || 0;
    const time = (row, name) => {
        const value = at(row, name);
        const date = value instanceof Date ? value : new Date(String(value));
        return Number.isNaN(date.getTime()) ? '' : date.toISOString();
    };
    const list = (row, name) => {
        let value = at(row, name);
        if (typeof value === 'string') {
            try {
                value = JSON.parse(value);
            }
            catch {
                value = [value];
            }
        }
        return Array.isArray(value) ? value.map(String).filter(Boolean).sort() : [];
    };
    return table.rows.map((row) => ({
        key: text(row, 'Key'),
        hash: text(row, 'KeyHash').toUpperCase(),
        keyRequests: count(row, 'KeyRequests'),
        keyCallers: count(row, 'KeyCallers'),
        caller: {
            ip: text(row, 'CallerIp'),
            userAgent: text(row, 'UserAgent'),
            authType: text(row, 'AuthenticationType'),
            requests: count(row, 'Requests'),
            succeeded: count(row, 'Succeeded'),
            refused: count(row, 'Refused'),
            services: list(row, 'Services'),
            operations: list(row, 'Operations'),
            firstSeen: time(row, 'FirstSeen'),
            lastSeen: time(row, 'LastSeen'),
        },
    }));
}

;// CONCATENATED MODULE: ./src/azure/rbac.ts
/** ARM action patterns: case-insensitive, `*` matches any run of characters. */
function actionMatches(pattern, action) {
    const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    return new RegExp(`^${escaped}$`, 'i').test(action);
}
/** Whether granted permissions (Microsoft.Authorization/permissions) allow an action. */
function isGranted(granted, action) {
    return granted.some((p) => p.actions.some((a) => actionMatches(a, action)) &&
        !p.notActions.some((n) => actionMatches(n, action)));
}
/** Whether granted permissions allow a data action (a Key Vault secret's getSecret, setSecret…). */
function isDataGranted(granted, dataAction) {
    return granted.some((p) => (p.dataActions ?? []).some((a) => actionMatches(a, dataAction)) &&
        !(p.notDataActions ?? []).some((n) => actionMatches(n, dataAction)));
}

;// CONCATENATED MODULE: ./src/key-usage/query.ts
/**
 * The one Log Analytics query a run makes per storage account: who used each account key, read
 * from the storage resource logs. It is printed in the README so it can be run in the portal.
 *
 * Meaning (the emulator answers it from its own model of storage traffic with this meaning):
 * - Requests: those in the four storage log tables in the last `lookback`, authorised with Shared
 *   Key or a SAS (AuthenticationType AccountKey or SAS), that either name the key that signed them
 *   (AuthenticationHash `key1(<hash>)` or `key2(<hash>)`, a SAS also `,SasSignature(<hash>)`) or
 *   were refused (401/403, whose hash may name no key).
 * - One row per key (Key: key1, key2, or empty for a refusal that names none), key value
 *   (KeyHash: the hash in upper case), AuthenticationType, caller IP (CallerIpAddress without its
 *   port) and user agent (UserAgentHeader without quotes): Requests, Succeeded (status 2xx/3xx),
 *   Refused (401/403), Services (ServiceType, at most 8), Operations (OperationName, at most 20),
 *   FirstSeen and LastSeen (TimeGenerated).
 * - With each row, the totals of its key value over every caller: KeyRequests, KeyCallers.
 * - Per key value, only the MAX_CALLERS callers with the most requests (ties: latest first).
 */
const KEY_USAGE_TABLES = [
    'StorageBlobLogs',
    'StorageFileLogs',
    'StorageQueueLogs',
    'StorageTableLogs',
];
/** Callers kept per key value; the totals still count every caller. */
const MAX_CALLERS = 50;
/** The columns of the answer, in order. */
const KEY_USAGE_COLUMNS = [
    ['Key', 'string'],
    ['KeyHash', 'string'],
    ['AuthenticationType', 'string'],
    ['CallerIp', 'string'],
    ['UserAgent', 'string'],
    ['Requests', 'long'],
    ['Succeeded', 'long'],
    ['Refused', 'long'],
    ['Services', 'dynamic'],
    ['Operations', 'dynamic'],
    ['FirstSeen', 'datetime'],
    ['LastSeen', 'datetime'],
    ['KeyRequests', 'long'],
    ['KeyCallers', 'long'],
];
const DEFAULT_LOOKBACK_DAYS = 7;
/** The query over the last `lookbackDays` days (a whole number of days). */
function keyUsageQuery(lookbackDays = DEFAULT_LOOKBACK_DAYS) {
    if (!Number.isInteger(lookbackDays) || lookbackDays < 1) {
        throw new RangeError(`lookbackDays must be a whole number of days, not ${lookbackDays}`);
    }
    const columns = KEY_USAGE_COLUMNS.map(([name]) => name).join(', ');
    return `// Who used each account key of this storage account (aml-storage-key-rotation).
let lookback = ${lookbackDays}d;
let maxCallers = ${MAX_CALLERS};
let requests = union isfuzzy=true ${KEY_USAGE_TABLES.join(', ')}
    | where TimeGenerated > ago(lookback)
    | where AuthenticationType in ("AccountKey", "SAS")
    | extend Key = extract(@"^(key[12])\\(", 1, AuthenticationHash),
        KeyHash = toupper(extract(@"^key[12]\\(([0-9A-Fa-f]+)\\)", 1, AuthenticationHash)),
        IsRefused = StatusCode in ("401", "403")
    | where isnotempty(Key) or IsRefused
    | extend CallerIp = coalesce(
            extract(@"^([0-9]{1,3}(\\.[0-9]{1,3}){3}):[0-9]+$", 1, CallerIpAddress),
            extract(@"^\\[([0-9A-Fa-f:.]+)\\]:[0-9]+$", 1, CallerIpAddress),
            CallerIpAddress),
        UserAgent = trim(@'"', UserAgentHeader);
let usage = requests
    | summarize Requests = count(),
        Succeeded = countif(StatusCode startswith "2" or StatusCode startswith "3"),
        Refused = countif(IsRefused),
        Services = make_set(ServiceType, 8),
        Operations = make_set(OperationName, 20),
        FirstSeen = min(TimeGenerated),
        LastSeen = max(TimeGenerated)
        by Key, KeyHash, AuthenticationType, CallerIp, UserAgent;
usage
| join kind=inner (
    usage | summarize KeyRequests = sum(Requests), KeyCallers = count() by Key, KeyHash
    ) on Key, KeyHash
| order by Key asc, KeyHash asc, Requests desc, LastSeen desc, CallerIp asc, UserAgent asc
| extend Rank = row_number(1, prev(Key) != Key or prev(KeyHash) != KeyHash)
| where Rank <= maxCallers
| project ${columns}
`;
}

;// CONCATENATED MODULE: ./src/key-usage/permissions.ts


const DIAGNOSTIC_SETTINGS_READ = 'Microsoft.Insights/diagnosticSettings/read';
const METRICS_READ = 'Microsoft.Insights/metrics/read';
/**
 * Reading a table of a resource's logs (table-level RBAC of resource-context queries). A table the
 * login may not read is left out of the answer without an error, so these are checked up front.
 */
const LOG_TABLE_READS = KEY_USAGE_TABLES.map((table) => `Microsoft.Insights/logs/${table}/read`);
/** Every read the key-usage evidence may need, on the storage account. */
const EVIDENCE_ACTIONS = [DIAGNOSTIC_SETTINGS_READ, ...LOG_TABLE_READS, METRICS_READ];
/** The reads this run's evidence needed: the logs where a setting sends them, the metrics where none does. */
function evidenceActions(usage) {
    if (!usage)
        return [];
    if (usage.status === 'no-logs')
        return [DIAGNOSTIC_SETTINGS_READ, METRICS_READ];
    return [DIAGNOSTIC_SETTINGS_READ, ...LOG_TABLE_READS];
}
/**
 * The log tables the login may not read on the account, as Microsoft.Authorization/permissions
 * tells: the query's answer leaves them out silently. None when the permissions cannot be read
 * (the preflight says so).
 */
async function unreadableTables(azure, accountId) {
    try {
        const granted = await azure.permissions(accountId);
        return KEY_USAGE_TABLES.filter((_, i) => !isGranted(granted, LOG_TABLE_READS[i]));
    }
    catch {
        return [];
    }
}

;// CONCATENATED MODULE: ./src/key-usage/settings.ts
/** The storage services whose resource logs carry each request, as ARM names their sub-resources. */
const LOGGED_SERVICES = [
    ['blob', 'blobServices'],
    ['file', 'fileServices'],
    ['queue', 'queueServices'],
    ['table', 'tableServices'],
];
/** The log categories that record requests, and the category groups that hold all three. */
const CATEGORIES = ['StorageRead', 'StorageWrite', 'StorageDelete'];
const GROUPS = ['allLogs', 'audit'];
/**
 * Which services' requests reach a Log Analytics workspace, from each service's diagnostic
 * settings. A setting that sends only to storage or an event hub leaves nothing to query.
 */
function logCoverage(settings) {
    const services = [];
    const partial = [];
    for (const [service] of LOGGED_SERVICES) {
        const covered = new Set();
        for (const setting of settings[service]) {
            if (!setting.workspaceId)
                continue;
            for (const log of setting.logs.filter((l) => l.enabled)) {
                if (log.categoryGroup && GROUPS.some((g) => sameName(g, log.categoryGroup))) {
                    CATEGORIES.forEach((c) => covered.add(c));
                }
                const category = CATEGORIES.find((c) => sameName(c, log.category));
                if (category)
                    covered.add(category);
            }
        }
        if (covered.size > 0)
            services.push(service);
        if (covered.size > 0 && covered.size < CATEGORIES.length)
            partial.push(service);
    }
    return { services, partial };
}
const sameName = (a, b) => a.toLowerCase() === b?.toLowerCase();
/** How to turn the logs on, for the notice: the Azure CLI, one service (repeat for the others). */
function enableLogsHint(accountId) {
    return (`A diagnostic setting on ${accountId}/blobServices/default (and fileServices, queueServices, ` +
        'tableServices) that sends the categories StorageRead, StorageWrite and StorageDelete (or the ' +
        'group allLogs) to a Log Analytics workspace would, e.g. `az monitor diagnostic-settings ' +
        'create --name key-usage --resource <account id>/blobServices/default --workspace ' +
        '<workspace id> --logs \'[{"categoryGroup":"allLogs","enabled":true}]\'`.');
}

;// CONCATENATED MODULE: ./src/key-usage/gather.ts





/**
 * Reads the four services' diagnostic settings, and when some send their requests to Log Analytics,
 * runs the key-usage query once on the account. Never throws: a failure is evidence that is missing.
 * Needs no key value, so it runs alongside discovery.
 */
async function gatherKeyUsage(azure, accountId, lookbackDays) {
    let coverage;
    try {
        const read = await Promise.all(LOGGED_SERVICES.map(async ([service, subResource]) => {
            try {
                return [service, await azure.diagnosticSettings(`${accountId}/${subResource}/default`)];
            }
            catch (error) {
                throw new Error(`Could not read the diagnostic settings of the ${service} service: ${(0,secrets/* describeError */.Uc)(error)}`);
            }
        }));
        coverage = logCoverage(Object.fromEntries(read));
    }
    catch (error) {
        return { status: 'failed', lookbackDays, reason: error.message };
    }
    if (coverage.services.length === 0) {
        return {
            status: 'no-logs',
            lookbackDays,
            reason: `No diagnostic setting of the account's blob, file, queue or table service sends its requests to Log Analytics, so who uses each key cannot be told. ${enableLogsHint(accountId)}`,
            metrics: await transactionTotals(azure, accountId, lookbackDays),
        };
    }
    try {
        const [answer, unreadable] = await Promise.all([
            azure.queryResourceLogs(accountId, keyUsageQuery(lookbackDays), lookbackDays),
            unreadableTables(azure, accountId),
        ]);
        return { status: 'answered', lookbackDays, answer, coverage, unreadable };
    }
    catch (error) {
        return { status: 'failed', lookbackDays, reason: queryFailure(error) };
    }
}
/** The evidence per key: the answer's hashes compared with the current key values, in memory. */
function keyUsageOf(evidence, keys) {
    if (evidence.status !== 'answered')
        return evidence;
    try {
        return keyUsageFromTable(evidence.answer.table, keys, {
            lookbackDays: evidence.lookbackDays,
            services: evidence.coverage.services,
            partial: evidence.coverage.partial,
            partialError: evidence.answer.partialError,
            unreadable: evidence.unreadable,
        });
    }
    catch (error) {
        return { status: 'failed', lookbackDays: evidence.lookbackDays, reason: (0,secrets/* describeError */.Uc)(error) };
    }
}
/** The platform metrics, always recorded: how many requests an account key or a SAS authorised. */
async function transactionTotals(azure, accountId, days) {
    try {
        return { status: 'read', ...(await azure.storageTransactions(accountId, days)) };
    }
    catch (error) {
        const status = error.statusCode;
        const advice = status === 403 ? ' The login needs Microsoft.Insights/metrics/read on the account.' : '';
        return {
            status: 'failed',
            reason: `The account's Transactions metric could not be read: ${(0,secrets/* describeError */.Uc)(error)}${advice}`,
        };
    }
}
function queryFailure(error) {
    const described = (0,secrets/* describeError */.Uc)(error);
    const status = error.statusCode;
    const advice = status === 403
        ? " The login needs Microsoft.Insights/logs/*/read on the account (e.g. Log Analytics Reader), and the workspace's access control mode must allow resource permissions; otherwise it needs read access to the workspace itself."
        : '';
    return `The key-usage query failed: ${described}${advice}`;
}

// EXTERNAL MODULE: ./src/azure/app-service.ts
var app_service = __webpack_require__(626);
// EXTERNAL MODULE: ./src/util/concurrency.ts
var concurrency = __webpack_require__(3731);
// EXTERNAL MODULE: ./src/util/resource-id.ts
var resource_id = __webpack_require__(1562);
;// CONCATENATED MODULE: ./src/execute/app-refresh.ts





/**
 * The refresh is not in the REST spec (App Service's docs name the call, not its RBAC action): it
 * is taken to be a write of the app's config. Reading the references back reads its config.
 */
const APP_REFRESH_ACTIONS = {
    refresh: 'Microsoft.Web/sites/config/write',
    read: 'Microsoft.Web/sites/config/read',
};
/** The secrets the run gave a new version: the last one it wrote to each. */
function movedSecrets(execution) {
    return [...execution.consumers.values()].flatMap((o) => o.ref.kind === 'key-vault-secret' && o.status === 'updated' && o.written?.version
        ? [{ vault: o.ref.workspace.name, secret: o.ref.name, version: o.written.version }]
        : []);
}
/** Whether the plan writes a Key Vault secret (and so would refresh the apps). */
const planMovesSecrets = (plan) => plan.steps.some((s) => s.kind === 'move' && s.consumers.some((c) => c.kind === 'key-vault-secret'));
/** What the refresh needs on each app; missing is a warning (the refresh is best effort). */
function appRefreshPermissions(apps, plan) {
    if (!planMovesSecrets(plan))
        return [];
    return apps.map((app) => ({
        scope: (0,resource_id/* resourceId */.a)(app, ...app_service/* SITES */.b),
        name: app.name,
        actions: Object.values(APP_REFRESH_ACTIONS),
        bestEffort: true,
    }));
}
/** A dry run whose plan writes secrets (`wouldRefresh`), or a run that wrote none: no call. */
function appsNotRefreshed(apps, wouldRefresh) {
    for (const app of apps) {
        core/* info */.pq(`${wouldRefresh ? 'Would refresh' : 'Not refreshed (no secret got a new version)'}: ${app.name}`);
    }
    return apps.map((app) => ({
        app,
        status: wouldRefresh ? 'would refresh' : 'not run',
        references: [],
    }));
}
/**
 * Asks each app to resolve its Key Vault references now, then reads them back: each reference to
 * a moved secret is on its new version or not. A failure is a warning naming the app, never the
 * run's failure: the app reads the new version within 24 hours anyway, inside the grace period.
 */
async function refreshApps(azure, apps, moved) {
    if (moved.length === 0)
        return appsNotRefreshed(apps, false);
    // Its warnings reach the annotations, the summary and the issue through the report's notes.
    return (0,concurrency/* mapLimit */.sf)(apps, 4, async (app) => {
        try {
            await azure.refreshAppKeyVaultReferences(app);
        }
        catch (error) {
            return {
                app,
                status: 'failed',
                error: `the refresh failed: ${(0,secrets/* describeError */.Uc)(error)}`,
                references: [],
            };
        }
        try {
            const references = referencesToMoved(await azure.appKeyVaultReferences(app), moved);
            return { app, status: 'refreshed', references };
        }
        catch (error) {
            const error_ = `refreshed, but its references could not be read: ${(0,secrets/* describeError */.Uc)(error)}`;
            return { app, status: 'failed', error: error_, references: [] };
        }
    });
}
function referencesToMoved(references, moved) {
    const same = (a = '', b = '') => a.toLowerCase() === b.toLowerCase();
    return references.flatMap((r) => {
        const secret = moved.find((m) => same(m.vault, r.vaultName) && same(m.secret, r.secretName));
        if (!secret)
            return [];
        const resolved = r.status === 'Resolved';
        // Without activeVersion (older api-versions) a reference that follows the current version
        // and resolved after the refresh is on it; one pinned to a version is on that version.
        const using = r.activeVersion ?? r.secretVersion;
        return [
            {
                setting: r.setting,
                secret: `${secret.vault}/${secret.secret}`,
                newVersion: secret.version,
                ...(r.activeVersion ? { activeVersion: r.activeVersion } : {}),
                ...(r.status ? { status: r.status } : {}),
                onNewVersion: resolved && (using === undefined || using === secret.version),
            },
        ];
    });
}
/** One warning per app that failed or has a reference not on the new version. */
function appRefreshWarnings(outcomes) {
    const later = 'it reads the new version within 24 hours, inside the grace period.';
    return outcomes.flatMap((o) => {
        if (o.status === 'failed')
            return [`App ${o.app.name}: ${o.error}; ${later}`];
        const behind = o.references.filter((r) => !r.onNewVersion);
        if (behind.length === 0)
            return [];
        const list = behind.map((r) => `${r.setting} (${r.secret}: ${r.status ?? 'no status'})`);
        return [
            `App ${o.app.name}: not on the new version after the refresh: ${list.join(', ')}; ${later}`,
        ];
    });
}

// EXTERNAL MODULE: ./src/consumers/index.ts + 3 modules
var src_consumers = __webpack_require__(6869);
// EXTERNAL MODULE: ./src/consumers/sas.ts
var sas = __webpack_require__(9244);
// EXTERNAL MODULE: ./src/discover/inventory.ts
var discover_inventory = __webpack_require__(6563);
// EXTERNAL MODULE: ./src/plan/sas.ts
var plan_sas = __webpack_require__(2022);
;// CONCATENATED MODULE: ./src/plan/actions.ts

function plannedAction(c, moves, regenerated, breaks) {
    if (c.holds === 'unknown') {
        // A Key Vault secret is managed, yet what cannot be read cannot be re-keyed either.
        const where = c.inScope ? '' : ', outside the managed workspaces';
        return breaks
            ? `MAY BREAK: its secret could not be read (${c.unread ?? 'unknown'}), so it may hold ${regenerated.join(' or ')}, which is regenerated${where}`
            : `none: its secret could not be read (${c.unread ?? 'unknown'})${where}`;
    }
    if (c.auth === 'Sas')
        return sasAction(c, moves, regenerated);
    if (moves)
        return `move to ${moves.join(', then ')}`;
    if (breaks)
        return `BREAKS: holds ${c.holds}, which is regenerated, outside the managed workspaces`;
    if (!c.inScope)
        return 'none: outside the managed workspaces';
    switch (c.auth) {
        case 'AccountKey':
            return `none: stays on ${c.holds}`;
        default:
            return c.credentials === 'None'
                ? 'none: identity-based access'
                : `none: ${c.credentials} credentials do not use the account keys`;
    }
}
/** A SAS consumer's planned action: renewed, broken (in scope or outside), or left, and why. */
function sasAction(c, moves, regenerated) {
    if (moves)
        return `renew: re-issue its SAS token signed by ${moves.join(', then ')}`;
    const signer = (0,plan_sas/* liveSigner */.ZM)(c);
    const outside = c.inScope ? '' : ', outside the managed workspaces';
    if (signer && regenerated.includes(signer)) {
        return `BREAKS: its SAS token is signed by ${signer}, which is regenerated${outside}`;
    }
    const sas = c.sas;
    if ((0,plan_sas/* breaksUnknown */.hW)(c, regenerated)) {
        return `BREAKS: which key signed its SAS token is unknown${sas?.reason ? ` (${sas.reason})` : ''}, and both keys are regenerated${outside}`;
    }
    const where = c.inScope ? '' : ' (outside the managed workspaces)';
    if (!sas || sas.signedBy === 'unknown') {
        return `none: which key signed its SAS token is unknown${sas?.reason ? ` (${sas.reason})` : ''}${where}`;
    }
    if (sas.signedBy === 'user delegation') {
        return `none: user delegation SAS, unaffected by the account keys${where}`;
    }
    if (sas.expired)
        return `none: its SAS token has expired (already broken)${where}`;
    if (sas.signedBy === 'neither') {
        return `none: its SAS token is signed by neither key (already broken)${where}`;
    }
    return `none: its SAS token is signed by ${sas.signedBy}, which stays${where}`;
}

// EXTERNAL MODULE: ./src/plan/key-age.ts
var key_age = __webpack_require__(9606);
// EXTERNAL MODULE: ./src/util/time.ts
var time = __webpack_require__(6043);
;// CONCATENATED MODULE: ./src/plan/key-holders.ts


/**
 * How long a managed consumer may still use a key after it was moved off it: an Azure ML job reads
 * a datastore's credentials when it starts and keeps them until it ends, and a job lives at most
 * 21 days ("Job lifetime", Azure Machine Learning quotas and limits; 7 on a low-priority node).
 * A caller the logs show on a key within this time after the move may be such a job.
 */
const JOB_GRACE_DAYS = 21;
/**
 * Under the action's own order a run ends with every managed consumer on the key it regenerated
 * last, so the other key is free from the newest key's creation; a key that is itself the newest
 * has been free (if no one holds it) since its own creation. A move without a regeneration (a
 * drain, key-name: none, a repair) writes the consumers it moves, so the latest write of a managed
 * consumer (systemData.lastModifiedAt) bounds the time from the other side: the later of the two.
 */
function keyHolding(inventory, key) {
    const managed = (0,discover_inventory/* managedWorkspaces */.wn)(inventory);
    const consumers = managed.flatMap((ws) => ws.consumers);
    const held = [
        ...managed
            .filter((ws) => ws.usesAccountAsDefault && ws.holds === key)
            .map((ws) => `the own copy of workspace '${ws.ref.name}'`),
        ...consumers.filter((c) => (0,discover_inventory/* dependsOn */.fr)(c) === key).map(discover_inventory/* describeConsumer */._8),
    ];
    if (held.length > 0)
        return { held };
    const keys = inventory.keys;
    if (keys.length === 0 || keys.some((k) => !k.createdOn)) {
        return { unknownSince: 'the creation times of the account keys are unknown' };
    }
    const newest = Math.max(...keys.map((k) => k.createdOn.getTime()));
    const lastWrite = Math.max(0, ...consumers.map((c) => c.writtenOn?.getTime() ?? 0));
    return { freeSince: new Date(Math.max(newest, lastWrite)) };
}
/**
 * The callers that signed requests with the current value of one of these keys after it had been
 * free of managed consumers for JOB_GRACE_DAYS: no managed consumer can have made those requests,
 * so each one is an outside holder of the key. Callers on an older value are already broken and
 * never count.
 */
function outsideCallers(inventory, keys) {
    const usage = inventory.keyUsage;
    if (usage?.status !== 'found')
        return [];
    return keys.flatMap((key) => {
        const holding = keyHolding(inventory, key);
        if (!('freeSince' in holding))
            return [];
        const spanStart = holding.freeSince.getTime() + JOB_GRACE_DAYS * time/* DAY_MS */.s;
        const current = usage.keys.find((k) => k.key === key)?.current.top ?? [];
        return current
            .filter((c) => Date.parse(c.lastSeen) > spanStart)
            .map((caller) => ({
            id: `caller:${key}:${caller.authType}:${caller.ip}:${caller.userAgent}`,
            key,
            caller,
            text: describeCaller(caller, key),
        }));
    });
}
/** "caller 203.0.113.7 (contoso-app/2.1) on key2: 168 requests (blob), last seen …". */
function describeCaller(c, key) {
    const via = c.authType === 'SAS' ? ` through a SAS ${key} signed` : '';
    return `caller ${c.ip} (${c.userAgent || 'no user agent'}) on ${key}${via}: ${c.requests} request(s) (${c.services.join(', ') || 'no service named'}), last seen ${c.lastSeen}`;
}

;// CONCATENATED MODULE: ./src/plan/notes.ts



/**
 * What outside the named workspaces holds one of these keys, and so breaks when it is regenerated:
 * known holders, then everything the run could not read (see unreadHolders), which may hold either.
 */
function outsideHolders(inventory, keys) {
    const holders = [];
    const holdsOne = (holds) => keys.some((k) => k === holds);
    if (keys.length > 0) {
        for (const u of (0,discover_inventory/* unreadHolders */.Fo)(inventory)) {
            holders.push({ id: u.id, text: `${u.name} (${u.reason})`, unread: true });
        }
    }
    for (const ws of (0,discover_inventory/* outsideWorkspaces */.KD)(inventory)) {
        if (ws.usesAccountAsDefault && holdsOne(ws.holds)) {
            holders.push({
                id: `workspace:${ws.id.toLowerCase()}`,
                text: `workspace '${ws.ref.name}' (resource group '${ws.ref.resourceGroup}'), whose own copy holds ${ws.holds}`,
            });
        }
        for (const c of ws.consumers.filter((c) => holdsOne((0,discover_inventory/* dependsOn */.fr)(c)))) {
            const holds = c.auth === 'Sas' ? `has a live SAS token signed by ${c.holds}` : `holds ${c.holds}`;
            holders.push({ id: (0,discover_inventory/* consumerId */.Ki)(c), text: `${(0,discover_inventory/* describeConsumer */._8)(c)} ${holds}` });
        }
        for (const c of ws.consumers.filter((c) => c.holds !== 'unknown' && (0,plan_sas/* breaksUnknown */.hW)(c, keys))) {
            holders.push({
                id: (0,discover_inventory/* consumerId */.Ki)(c),
                text: `${(0,discover_inventory/* describeConsumer */._8)(c)} has a SAS token an unknown key signed, and both keys are regenerated`,
            });
        }
    }
    for (const c of outsideCallers(inventory, keys))
        holders.push({ id: c.id, text: c.text, caller: true });
    return holders;
}
/** What the run tells beside its steps: scope, blind spots, account settings and SAS consumers. */
function planNotes(inventory, regenerate, policy) {
    return [
        ...accountNotes(inventory),
        ...uncheckedNote(inventory, regenerate, policy),
        ...outsideNotes(inventory, regenerate, policy),
        ...consumerNotes(inventory, regenerate),
        ...sasNotes(inventory, regenerate, policy),
    ];
}
function accountNotes(inventory) {
    const notes = [];
    if (!inventory.account.allowSharedKeyAccess) {
        const keyBased = inventory.workspaces
            .flatMap((ws) => ws.consumers)
            .filter((c) => c.auth !== 'Other');
        notes.push({
            level: 'warning',
            kind: 'shared-key-off',
            text: `Shared key access is off on storage account '${inventory.account.ref.name}': its ${keyBased.length} AccountKey and SAS consumer(s) cannot authenticate while it is off. Turn it on, or move them to identity-based access (datastores with credentials None).`,
            subjects: keyBased.map(discover_inventory/* describeConsumer */._8),
        });
    }
    const denied = (0,discover_inventory/* deniedListings */.D8)(inventory);
    if (denied.length > 0) {
        notes.push({
            level: 'warning',
            kind: 'uninspected',
            text: `${denied.length} workspace listing(s) the login may not read: the workspaces there are outside what this run could check.`,
            subjects: denied.map((u) => `${u.name} (${u.reason})`),
        });
    }
    return notes;
}
/** What could not be read: each may hold either key, so a regeneration needs allow-outside-breakage. */
function uncheckedNote(inventory, regenerate, policy) {
    const unread = (0,discover_inventory/* unreadHolders */.Fo)(inventory);
    if (unread.length === 0)
        return [];
    const effect = regenerate.length === 0
        ? 'nothing is regenerated, so none of them breaks'
        : policy.allowOutsideBreakage
            ? `allow-outside-breakage: true, so ${regenerate.join(' and ')} ${regenerate.length === 1 ? 'is' : 'are'} regenerated without checking them, and any of them on ${regenerate.length === 1 ? 'it' : 'them'} breaks`
            : 'a regeneration stops before its first write unless allow-outside-breakage: true';
    return [
        {
            level: 'warning',
            kind: 'unchecked',
            text: `${unread.length} thing(s) could not be read, so each may hold either key (unchecked): ${effect}.`,
            subjects: unread.map((u) => `${u.name} (${u.reason})`),
        },
    ];
}
function outsideNotes(inventory, regenerate, policy) {
    const outside = (0,discover_inventory/* outsideWorkspaces */.KD)(inventory);
    const notes = [];
    const holders = outsideHolders(inventory, regenerate);
    const broken = holders.filter((h) => !h.unread);
    if (broken.length > 0 && policy.allowOutsideBreakage) {
        notes.push({
            level: 'warning',
            kind: 'outside-breaks',
            text: `allow-outside-breakage: regenerating ${regenerate.join(' and ')} breaks ${broken.length} ${broken.some((h) => h.caller) ? 'consumer(s) and caller(s) seen in the storage logs' : 'consumer(s)'} outside the managed workspaces. Update them with the new key (or resync those workspaces).`,
            subjects: broken.map((h) => h.text),
        });
    }
    const brokenIds = new Set(holders.map((h) => h.id));
    const untouched = outside.filter((ws) => !brokenIds.has(`workspace:${ws.id.toLowerCase()}`) &&
        (ws.usesAccountAsDefault || ws.consumers.some((c) => !brokenIds.has((0,discover_inventory/* consumerId */.Ki)(c)))));
    if (untouched.length > 0) {
        notes.push({
            level: 'notice',
            kind: 'outside',
            text: `${untouched.length} workspace(s) outside the managed ones use the account and are left as they are.`,
            subjects: untouched.map(describeOutside),
        });
    }
    return notes;
}
function describeOutside(ws) {
    const parts = [];
    if (ws.usesAccountAsDefault)
        parts.push(`default storage, own copy holds ${ws.holds ?? 'no key'}`);
    for (const c of ws.consumers) {
        const holds = c.auth === 'AccountKey' ? `holds ${c.holds}` : (0,plan_sas/* isSas */.aN)(c) ? (0,plan_sas/* describeSas */.Fk)(c) : c.credentials;
        parts.push(`${c.kind} '${c.name}' (${holds})`);
    }
    return `'${ws.ref.name}': ${parts.join(', ')}`;
}
function consumerNotes(inventory, _regenerate) {
    const consumers = inventory.workspaces.flatMap((ws) => ws.consumers);
    const stale = consumers.filter((c) => c.inScope && c.auth === 'AccountKey' && c.holds === 'stale');
    const notes = [];
    if (stale.length > 0) {
        notes.push({
            level: 'notice',
            kind: 'stale',
            text: `${stale.length} consumer(s) held a key that matches neither key of the account: they were already broken, and this run repairs them.`,
            subjects: stale.map(discover_inventory/* describeConsumer */._8),
        });
    }
    return notes;
}
/**
 * SAS consumers in the managed workspaces: exactly those the regeneration breaks (and only those),
 * those already broken, those whose signer is unknown, and those the run re-issues. Outside ones are
 * outside holders like any other (see outsideHolders).
 */
function sasNotes(inventory, regenerate, policy) {
    const choice = policy.sas ?? 'warn';
    const sas = inventory.workspaces
        .flatMap((ws) => ws.consumers)
        .filter((c) => c.inScope && (0,plan_sas/* isSas */.aN)(c));
    const named = (c) => `${(0,discover_inventory/* describeConsumer */._8)(c)}, ${(0,plan_sas/* describeSas */.Fk)(c)}`;
    const notes = [];
    const breaks = (0,plan_sas/* sasBrokenInScope */.OG)(inventory, regenerate, choice);
    if (breaks.length > 0) {
        const advice = choice === 'renew'
            ? 'this run cannot re-issue their tokens (see the reason of each)'
            : 'issue them new tokens signed by the key that stays and update them, or run with sas: renew';
        // With both keys regenerated, a token whose signer could not be told breaks too.
        const signers = regenerate.length === 1
            ? 'it signed'
            : 'signed by one of them or by a key that cannot be told';
        notes.push({
            level: 'warning',
            kind: 'sas',
            text: `Regenerating ${regenerate.join(' and ')} breaks ${breaks.length} SAS consumer(s) with a live token ${signers}: ${advice}.`,
            subjects: breaks.map((c) => {
                const why = choice === 'renew' ? (0,plan_sas/* renewBlocker */.uU)(c) : undefined;
                return why ? `${named(c)} (${why})` : named(c);
            }),
        });
    }
    const broken = sas.filter((c) => c.holds === 'stale');
    if (broken.length > 0) {
        notes.push({
            level: 'warning',
            kind: 'sas-broken',
            text: `${broken.length} SAS consumer(s) are already broken (their token has expired or matches neither key): this run leaves them as they are; issue them new tokens.`,
            subjects: broken.map(named),
        });
    }
    const unknown = sas.filter((c) => !c.sas || c.sas.signedBy === 'unknown');
    if (unknown.length > 0) {
        notes.push({
            level: regenerate.length > 0 ? 'warning' : 'notice',
            kind: 'sas-unknown',
            text: `Which key signed the SAS token of ${unknown.length} consumer(s) could not be told, so this run cannot say whether a regeneration breaks them.`,
            subjects: unknown.map(named),
        });
    }
    return notes;
}

;// CONCATENATED MODULE: ./src/plan/refusal.ts



/**
 * Why regenerating these keys must not happen under the policy, in one message; or nothing.
 * What the run could not read counts as holding either key (see outsideHolders).
 */
function refusal(inventory, workspaces, regenerate, policy) {
    const problems = [];
    const keys = regenerate.join(' and ');
    const holders = outsideHolders(inventory, regenerate);
    const known = holders.filter((h) => !h.unread && !h.caller);
    const callers = holders.filter((h) => h.caller);
    const unread = holders.filter((h) => h.unread);
    if (known.length > 0 && !policy.allowOutsideBreakage) {
        problems.push(`Regenerating ${keys} would break consumers outside the workspaces this run manages: ${known.map((h) => h.text).join('; ')}. Add those workspaces to the workspace input (or use workspace: '*') so they are moved first, or set allow-outside-breakage: true to regenerate anyway.`);
    }
    if (callers.length > 0 && !policy.allowOutsideBreakage) {
        problems.push(`Regenerating ${keys} would break callers the storage logs show signing with its current value while no managed consumer held it (for longer than an Azure ML job lives): ${callers.map((h) => h.text).join('; ')}. Give them the other key (or identity-based access) first, or set allow-outside-breakage: true to regenerate anyway.`);
    }
    if (unread.length > 0 && !policy.allowOutsideBreakage) {
        problems.push(`Regenerating ${keys} may break what this run could not read, since each may hold either key: ${unread.map((h) => h.text).join('; ')}. Let the login read them (or rerun once the error has cleared), or set allow-outside-breakage: true to regenerate without checking them.`);
    }
    const unrenewable = (0,plan_sas/* brokenSasOf */.OM)(inventory, regenerate)
        .filter((c) => c.inScope && (policy.sas ?? 'warn') === 'renew')
        .map((c) => [c, (0,plan_sas/* renewBlocker */.uU)(c)])
        .filter(([, why]) => why !== undefined);
    if (unrenewable.length > 0) {
        const list = unrenewable.map(([c, why]) => `${(0,discover_inventory/* describeConsumer */._8)(c)}: ${why}`).join('; ');
        problems.push(`Regenerating ${keys} would break SAS consumers whose token this run cannot re-issue: ${list}.`);
    }
    const held = workspaces.filter((ws) => regenerate.some((k) => k === ws.holds));
    if (held.length > 0 && policy.allowWorkspaceOutage === false) {
        const list = held.map((ws) => `workspace '${ws.ref.name}' holds ${ws.holds}`).join('; ');
        problems.push(`${keys} must be regenerated, but ${list} in its own copy. Azure ML decides which key resyncKeys gives a workspace, so its copy may be invalid from the regeneration until the resync right after it, and allow-workspace-outage is false.`);
    }
    return problems.length > 0 ? `${problems.join(' ')} Nothing was changed.` : undefined;
}

;// CONCATENATED MODULE: ./src/plan/decide.ts
// Which keys a run regenerates, and why: the key-name input, the age limit, the holders' cost and
// sas: skip-keys. Pure.






const sasChoice = (policy) => policy.sas ?? 'warn';
function skipSasKeys(inventory, decided, policy) {
    if (sasChoice(policy) !== 'skip-keys')
        return { ...decided, skipped: { notes: [] } };
    const signing = decided.regenerate.filter((k) => (0,plan_sas/* liveSasOf */.bv)(inventory, [k]).length > 0);
    if (signing.length === 0)
        return { ...decided, skipped: { notes: [] } };
    const regenerate = decided.regenerate.filter((k) => !signing.includes(k));
    const left = `${signing.join(' and ')} ${signing.length === 1 ? 'signs' : 'sign'} live SAS tokens, so sas: skip-keys leaves ${signing.length === 1 ? 'it' : 'them'} alone`;
    const notes = signing.map((key) => {
        const holders = (0,plan_sas/* liveSasOf */.bv)(inventory, [key]);
        return {
            level: 'warning',
            kind: 'sas-skipped',
            text: `${key} was not regenerated (${decided.decision}): ${holders.length} SAS consumer(s) use a live token it signed, and sas: skip-keys never breaks one. Re-issue them with the other key (or with sas: renew), then rotate.`,
            subjects: holders.map((c) => `${(0,discover_inventory/* describeConsumer */._8)(c)}, ${(0,plan_sas/* describeSas */.Fk)(c)}`),
        };
    });
    return {
        regenerate,
        decision: `${decided.decision}; ${left}`,
        skipped: {
            notes,
            blocked: regenerate.length === 0
                ? `Nothing was rotated: ${left}. Re-issue those tokens with the other key, or run with sas: renew.`
                : undefined,
        },
    };
}
function decide(inventory, workspaces, keyed, policy, limit, due) {
    if (policy.keyName === 'none') {
        return {
            regenerate: [],
            decision: 'key-name is none: regenerate nothing, bring every consumer onto the newest key',
        };
    }
    const ages = inventory.keys.map((k) => (0,key_age/* describeAge */.HK)(k, policy.now)).join(', ');
    // A named key is an order (the emergency after a leak): the age limit applies to auto only.
    if (limit && policy.keyName === 'auto') {
        if (due.length === 0) {
            return {
                regenerate: [],
                decision: `not due: ${ages}; no key is older than ${(0,key_age/* describeLimit */.XW)(limit)}`,
            };
        }
        return {
            regenerate: due,
            decision: `due under ${(0,key_age/* describeLimit */.XW)(limit)}: ${ages}; regenerate ${due.join(' then ')}`,
        };
    }
    const order = limit ? ` (${ages}; the age limit applies to auto only)` : '';
    const holders = (key) => [
        workspaces.filter((ws) => ws.holds === key).length,
        keyed.filter((c) => c.holds === key).length,
    ];
    const byCost = [...port/* KEY_NAMES */.V].sort((a, b) => compareTuples(holders(a), holders(b)));
    switch (policy.keyName) {
        case 'key1':
        case 'key2':
            return {
                regenerate: [policy.keyName],
                decision: `key-name is ${policy.keyName}${order}`,
            };
        case 'both':
            return {
                regenerate: byCost,
                decision: `key-name is both: regenerate ${byCost[0]} then ${byCost[1]}, so no key from before the run stays valid${order}`,
            };
        default:
            return autoKey(inventory, workspaces, policy, byCost, ages);
    }
}
/**
 * auto without an age limit: the older key, so successive runs alternate and both keys get
 * rotated; when the ages tie, the one with fewer holders. A key the policy may not regenerate
 * (held outside the scope, or by a workspace's own copy when no outage is allowed) is passed over.
 */
function autoKey(inventory, workspaces, policy, byCost, ages) {
    const days = (key) => {
        const age = (0,key_age/* ageDays */.BJ)(inventory.keys.find((k) => k.name === key), policy.now);
        return Number.isFinite(age) ? Math.floor(age) : Infinity;
    };
    const order = [...byCost].sort((a, b) => (days(a) === days(b) ? 0 : days(b) - days(a)));
    const tie = days(order[0]) === days(order[1]);
    const allowed = order.filter((k) => !refusal(inventory, workspaces, [k], policy));
    // A key whose regeneration breaks no SAS token the run leaves as it is comes first.
    const breaksNoSas = (k) => !(0,plan_sas/* signsUnrenewedSas */.bW)(inventory, k, sasChoice(policy));
    const pick = allowed.find(breaksNoSas) ?? allowed[0] ?? order[0];
    const why = tie
        ? `${pick} has the fewest holders to move off first`
        : `${pick} is the older key (${ages})`;
    if (pick === order[0])
        return { regenerate: [pick], decision: `key-name is auto: ${why}` };
    const heldOutside = !policy.allowOutsideBreakage && outsideHolders(inventory, [order[0]]).length > 0;
    const reason = allowed.includes(order[0])
        ? 'it signs live SAS tokens this run does not re-issue'
        : heldOutside
            ? 'consumers outside the managed workspaces hold it'
            : 'a workspace holds it in its own copy and allow-workspace-outage is false';
    return {
        regenerate: [pick],
        decision: `key-name is auto: ${order[0]} is ${tie ? 'as old' : 'older'}, but ${reason}; regenerate ${pick}`,
    };
}
function compareTuples(a, b) {
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return a[i] - b[i];
    return 0;
}

;// CONCATENATED MODULE: ./src/plan/drain.ts
/** One drain per key: every reason, the latest time, and no time when any reason has none. */
function mergeDrains(drains) {
    const byKey = new Map();
    for (const d of drains) {
        const seen = byKey.get(d.key);
        if (!seen) {
            byKey.set(d.key, {
                ...d,
                because: [...d.because],
                ...(d.holders ? { holders: [...d.holders] } : {}),
            });
            continue;
        }
        seen.because.push(...d.because);
        if (d.holders)
            seen.holders = [...(seen.holders ?? []), ...d.holders];
        seen.until = seen.until && d.until ? (d.until > seen.until ? d.until : seen.until) : undefined;
    }
    return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}
/** The keys still regenerated (in order), and the drains of those held back. */
function holdBack(regenerate, drains) {
    const merged = mergeDrains(drains);
    const held = regenerate
        .map((key) => merged.find((d) => d.key === key))
        .filter((d) => d !== undefined);
    return { regenerate: regenerate.filter((k) => !held.some((d) => d.key === k)), held };
}
/** "from 2026-11-30 12:20 UTC" or "once the reasons below have cleared". */
function describeUntil(drain) {
    return drain.until
        ? `from ${drain.until.toISOString().slice(0, 16).replace('T', ' ')} UTC`
        : 'once what holds it back has cleared (the run cannot tell when)';
}
/** "key2 is held back: it may be regenerated from …, because …; …". */
function describeDrain(drain) {
    return `${drain.key} is held back: it may be regenerated ${describeUntil(drain)}, because ${drain.because.join('; ')}`;
}

;// CONCATENATED MODULE: ./src/plan/grace-period.ts

/**
 * Kinds of consumer whose users pick up a new value late: apps read a Key Vault secret's new
 * version up to 24 hours later (App Service and Functions references), every 2 minutes (the CSI
 * driver), or at their next run (Data Factory).
 */
const PICKED_UP_LATE = new Set(['key-vault-secret']);
/**
 * The keys of `regenerate` a grace period holds back: one a managed late-pickup consumer holds
 * (this run moves it off), until the grace period has passed from now; and one such a consumer
 * moved off in an earlier run — its current version, on the other key, is younger than the grace
 * period — until the grace period has passed from that version's creation. The second is
 * conservative: the version before may have held the same key; the wait is then for nothing, never
 * too short. No grace period: nothing is held back.
 */
function gracePeriod(inventory, regenerate, graceMs, now) {
    if (graceMs <= 0)
        return [];
    const drains = [];
    const hold = (key, until, c, reason) => {
        if (regenerate.includes(key) && until > now) {
            drains.push({ key, until, because: [reason], holders: [(0,discover_inventory/* consumerId */.Ki)(c)] });
        }
    };
    const late = (0,discover_inventory/* allConsumers */.XR)(inventory).filter((c) => c.inScope && PICKED_UP_LATE.has(c.kind));
    for (const c of late) {
        if (c.holds !== 'key1' && c.holds !== 'key2')
            continue;
        if (regenerate.includes(c.holds)) {
            const until = new Date(now.getTime() + graceMs);
            hold(c.holds, until, c, `${(0,discover_inventory/* describeConsumer */._8)(c)} moves off ${c.holds} in this run`);
            continue;
        }
        if (!c.versionCreatedOn)
            continue;
        const other = c.holds === 'key1' ? 'key2' : 'key1';
        hold(other, new Date(c.versionCreatedOn.getTime() + graceMs), c, `${(0,discover_inventory/* describeConsumer */._8)(c)} got its current version (on ${c.holds}) at ${c.versionCreatedOn.toISOString()}`);
    }
    return drains;
}

;// CONCATENATED MODULE: ./src/plan/unused-gate.ts



/**
 * How long a request takes to show in Log Analytics: typically 3 to 10 minutes for resource logs,
 * sometimes 20. The last LOG_INGESTION_MINUTES before a run are not proof of anything yet.
 */
const LOG_INGESTION_MINUTES = 20;
/** The keys of `regenerate` the gate holds back, and why; nothing without require-unused-days. */
function unusedGate(inventory, regenerate, policy) {
    const days = policy.requireUnusedDays;
    if (days === undefined)
        return [];
    return regenerate.flatMap((key) => {
        const because = [];
        let until = new Date(0);
        const wait = (from, reason) => {
            const end = new Date(from.getTime() + days * time/* DAY_MS */.s + LOG_INGESTION_MINUTES * 60_000);
            if (end <= policy.now)
                return;
            if (until && end > until)
                until = end;
            because.push(reason);
        };
        const unknown = (reason) => {
            until = undefined;
            because.push(reason);
        };
        const missing = missingProof(inventory, days);
        if (missing)
            unknown(`require-unused-days: ${days} needs the storage logs, and ${missing}`);
        const holding = keyHolding(inventory, key);
        if ('held' in holding) {
            wait(policy.now, `managed consumers hold it (${holding.held.join(', ')}): this run moves them off it, and it must then stay unused for ${days} days`);
        }
        else if ('unknownSince' in holding) {
            unknown(`since when no managed consumer has held it cannot be told: ${holding.unknownSince}`);
        }
        else {
            wait(holding.freeSince, `managed consumers may have held it until ${holding.freeSince.toISOString()}, less than ${days} days ago`);
        }
        const usage = inventory.keyUsage;
        const evidence = usage?.status === 'found' ? usage.keys.find((k) => k.key === key) : undefined;
        if (usage?.status === 'found' && !evidence && !missing)
            unknown(`require-unused-days: ${days} needs the storage logs, and they say nothing of ${key}`);
        const current = evidence?.current;
        if (current?.lastSeen && Date.parse(current.lastSeen) > policy.now.getTime() - days * time/* DAY_MS */.s) {
            const callers = current.top.slice(0, 5).map((c) => describeCaller(c, key));
            wait(new Date(current.lastSeen), `its current value signed ${current.requests} request(s) in the last ${days} days (${callers.join('; ')}${current.callers > callers.length ? '; …' : ''})`);
        }
        return because.length > 0 ? [{ key, until, because }] : [];
    });
}
/** Why the logs cannot prove N days unused, or nothing when they can. */
function missingProof(inventory, days) {
    const usage = inventory.keyUsage;
    if (!usage)
        return 'the run has no key-usage evidence';
    if (usage.status !== 'found')
        return `${lowerFirst(usage.reason)}`;
    if (usage.unreadableTables) {
        return `the login may not read ${usage.unreadableTables.join(', ')}, whose requests the query would leave out`;
    }
    if (usage.partialError)
        return `the key-usage query answered only in part (${usage.partialError})`;
    const unlogged = LOGGED_SERVICES.map(([s]) => s).filter((s) => !usage.services.includes(s));
    if (unlogged.length > 0) {
        return `the requests of the ${unlogged.join(', ')} service(s) do not reach Log Analytics, so a caller there would not show`;
    }
    if (usage.partial.length > 0) {
        return `the ${usage.partial.join(', ')} service(s) send only some of StorageRead, StorageWrite and StorageDelete to the logs`;
    }
    if (usage.lookbackDays < days) {
        return `the query looked back only ${usage.lookbackDays} days`;
    }
    return undefined;
}
const lowerFirst = (text) => text.charAt(0).toLowerCase() + text.slice(1);

;// CONCATENATED MODULE: ./src/plan/held-back.ts



/**
 * The drains of the keys the run would regenerate. Each source says which keys must wait, until
 * when and why; drain.ts merges them per key (the latest time wins, an unknown time wins over all).
 */
function heldBack(inventory, regenerate, policy) {
    return [
        ...unusedGate(inventory, regenerate, policy),
        ...gracePeriod(inventory, regenerate, policy.graceMs ?? 0, policy.now),
    ];
}
/**
 * One note per key held back. A due key that waits, or one the run cannot say when it may be
 * regenerated, needs a person (a warning: "Needs attention", the notify issue); a drain that a later
 * run will finish by itself is for the record.
 */
function drainNotes(held, due) {
    return held.map((d) => ({
        level: due.includes(d.key) || !d.until ? 'warning' : 'notice',
        kind: 'held-back',
        text: `${d.key} was not regenerated: it is held back, and a run may regenerate it ${describeUntil(d)}${due.includes(d.key) ? ` (it is due now)` : ''}. This run moves every managed consumer off it.`,
        subjects: d.because,
    }));
}

;// CONCATENATED MODULE: ./src/plan/types.ts
const otherKey = (key) => (key === 'key1' ? 'key2' : 'key1');

;// CONCATENATED MODULE: ./src/plan/steps.ts



function buildSteps(keyed, workspaces, regenerate, decision) {
    const holding = new Map(keyed.map((c) => [(0,discover_inventory/* consumerId */.Ki)(c), c.holds ?? 'stale']));
    const moves = new Map();
    const steps = [];
    const notes = [];
    const moveAll = (from, to, fresh, reason) => {
        const targets = keyed.filter((c) => from(holding.get((0,discover_inventory/* consumerId */.Ki)(c))));
        if (targets.length === 0)
            return;
        steps.push({ kind: 'move', consumers: targets.map(discover_inventory/* refOf */.H8), to, reason });
        for (const c of targets) {
            holding.set((0,discover_inventory/* consumerId */.Ki)(c), to);
            moves.set((0,discover_inventory/* consumerId */.Ki)(c), [...(moves.get((0,discover_inventory/* consumerId */.Ki)(c)) ?? []), fresh ? `new ${to}` : to]);
        }
    };
    // After a resync only the service knows which key the workspace's own copy holds (which key
    // resyncKeys takes is undocumented). A resync may also rewrite the workspace's default
    // datastores (undocumented too), so each resync comes before the moves next to it.
    const resync = (ws, reason) => {
        steps.push({ kind: 'resync', workspace: ws.ref, reason });
        for (const c of keyed) {
            if ((0,resource_id/* refKey */.XF)(c.workspace) === (0,resource_id/* refKey */.XF)(ws.ref) && isSystemDatastore(c)) {
                holding.set((0,discover_inventory/* consumerId */.Ki)(c), 'unknown');
            }
        }
    };
    const workspaceHolds = new Map(workspaces.map((ws) => [ws, ws.holds]));
    for (const key of regenerate) {
        const other = otherKey(key);
        for (const ws of workspaces.filter((w) => workspaceHolds.get(w) === key)) {
            resync(ws, `the workspace holds ${key}: resync first, in case the workspace moves to ${other}`);
        }
        moveAll((h) => h === key || h === 'unknown', other, false, `${key} is regenerated next: move its holders to ${other} first`);
        steps.push({ kind: 'regenerate', key, reason: decision });
        for (const ws of workspaces) {
            resync(ws, ws.holds === key
                ? `the workspace held ${key}: resync right after its regeneration`
                : `the workspace reads the account's keys again (which one it takes is up to Azure ML)`);
            workspaceHolds.set(ws, 'unknown');
        }
        const holders = workspaces.filter((ws) => ws.holds === key);
        if (holders.length > 0) {
            notes.push({
                level: 'notice',
                kind: 'workspace-window',
                text: `${holders.length} workspace(s) hold ${key} in their own copy. Azure ML cannot point a workspace at a chosen key: unless the resync before the regeneration moves it to ${other}, its own copy is invalid from the regeneration of ${key} until the resync right after it (measured in the report).`,
                subjects: holders.map((ws) => `workspace '${ws.ref.name}'`),
            });
        }
        moveAll((h) => h !== key, key, true, `move every AccountKey consumer onto the new ${key}`);
    }
    // A workspace on the other, still valid key is resynced only when asked to converge (key-name:
    // none): resyncKeys may keep picking that key, and a run with nothing due must write nothing.
    const repair = (activeKey, converge) => {
        const off = (w) => w.holds === 'stale' || (converge && w.holds !== undefined && w.holds !== activeKey);
        for (const ws of workspaces.filter(off)) {
            resync(ws, ws.holds === 'stale'
                ? `repair: the workspace's copy matches neither key`
                : `the workspace holds ${ws.holds}, not the newest key ${activeKey}`);
        }
        moveAll((h) => h === 'stale', activeKey, false, 'repair: consumers whose key matches neither key');
        moveAll((h) => h !== activeKey, activeKey, false, `bring consumers onto the newest key, ${activeKey}`);
    };
    return { steps, moves, notes, repair };
}
function isSystemDatastore(c) {
    return c.kind === 'datastore' && (0,discover_inventory/* rewrittenByResync */._I)(c);
}

;// CONCATENATED MODULE: ./src/plan/plan.ts














/** What the plan writes to: consumers (by consumerId) and workspaces it resyncs (by refKey). */
function writeTargets(plan) {
    const consumers = new Set();
    const workspaces = new Set();
    for (const step of plan.steps) {
        if (step.kind === 'move')
            step.consumers.forEach((c) => consumers.add((0,discover_inventory/* consumerId */.Ki)(c)));
        if (step.kind === 'resync')
            workspaces.add((0,resource_id/* refKey */.XF)(step.workspace));
    }
    return { consumers, workspaces };
}
/**
 * Turns what discovery saw into ordered steps. Pure: no I/O, no clock but policy.now.
 * The rule: a consumer is moved off a key before that key is regenerated; workspaces resync right
 * after a regeneration; every AccountKey consumer ends on the newest key. Only the named
 * workspaces are written to; a key that a consumer outside them holds is not regenerated unless
 * the policy accepts breaking it.
 */
function plan_plan(inventory, policy) {
    const managed = (0,discover_inventory/* managedWorkspaces */.wn)(inventory);
    const accountKeyed = managed.flatMap((ws) => ws.consumers.filter(discover_inventory/* usesAccountKey */.vY));
    const workspaces = managed.filter((ws) => ws.usesAccountAsDefault);
    const limit = (0,key_age/* ageLimit */.ZF)(inventory, policy.maxKeyAgeDays);
    const due = limit ? (0,key_age/* dueKeys */.Jo)(inventory.keys, limit, policy.now) : [];
    const decided = decide(inventory, workspaces, accountKeyed, policy, limit, due);
    const skippedSas = skipSasKeys(inventory, decided, policy);
    const { skipped } = skippedSas;
    const { regenerate, held } = holdBack(skippedSas.regenerate, heldBack(inventory, skippedSas.regenerate, policy));
    const decision = held.length > 0
        ? `${skippedSas.decision}; ${held.map(describeDrain).join('; ')}`
        : skippedSas.decision;
    const drained = held.map((d) => d.key);
    // A SAS consumer the run re-issues moves like an AccountKey consumer, its token re-signed; one
    // on a key held back is moved off it like the others.
    const keyed = [
        ...accountKeyed,
        ...(0,plan_sas/* toRenew */.Nc)(inventory, [...regenerate, ...drained], sasChoice(policy)),
    ];
    const split = port/* KEY_NAMES */.V.every((key) => workspaces.some((ws) => ws.holds === key));
    if (split &&
        !policy.settled &&
        regenerate.length > 0 &&
        policy.keyName !== 'key1' &&
        policy.keyName !== 'key2') {
        return settlePlan(inventory, workspaces, limit, due);
    }
    const built = buildSteps(keyed, workspaces, regenerate, decision);
    // A key held back is drained: every managed consumer moves onto the other key, or onto the key
    // regenerated in this run.
    const activeKey = regenerate.at(-1) ??
        (drained[0] ? otherKey(drained[0]) : newestKey(inventory, keyed, workspaces));
    if (regenerate.length === 0) {
        built.repair(activeKey, policy.keyName === 'none' || drained.length > 0);
    }
    const actions = new Map();
    const breaks = new Set(outsideHolders(inventory, regenerate).map((h) => h.id));
    for (const c of inventory.workspaces.flatMap((ws) => ws.consumers)) {
        const id = (0,discover_inventory/* consumerId */.Ki)(c);
        actions.set(id, plannedAction(c, built.moves.get(id), regenerate, breaks.has(id)));
    }
    return {
        regenerate,
        decision,
        activeKey,
        steps: built.steps,
        actions,
        notes: [
            ...built.notes,
            ...planNotes(inventory, regenerate, policy),
            ...skipped.notes,
            ...drainNotes(held, due),
        ],
        ageLimit: limit,
        due,
        refused: refusal(inventory, workspaces, regenerate, policy),
        settleFirst: false,
        blockedBySas: skipped.blocked,
        held,
    };
}
function settlePlan(inventory, workspaces, limit, due) {
    const actions = new Map(inventory.workspaces
        .flatMap((ws) => ws.consumers)
        .map((c) => [(0,discover_inventory/* consumerId */.Ki)(c), 'decided once the workspaces have resynced']));
    return {
        regenerate: [],
        decision: 'the workspaces hold different keys: resync them first, then choose the key to regenerate from the key each one holds afterwards',
        activeKey: 'key1',
        steps: workspaces.map((ws) => ({
            kind: 'resync',
            workspace: ws.ref,
            reason: 'settle the workspaces on one key before choosing which key to regenerate',
        })),
        actions,
        notes: [],
        ageLimit: limit,
        due,
        settleFirst: true,
        held: [],
    };
}
/** The newest key: by creation time, or without creation times, the key most consumers hold. */
function newestKey(inventory, keyed, workspaces) {
    const keys = inventory.keys;
    if (keys.every((k) => k.createdOn)) {
        return [...keys].sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime())[0].name;
    }
    const holders = (key) => keyed.filter((c) => c.holds === key).length + workspaces.filter((w) => w.holds === key).length;
    return holders('key2') > holders('key1') ? 'key2' : 'key1';
}

;// CONCATENATED MODULE: ./src/execute/regeneration.ts





/**
 * After regenerateKey answered an error, reads the keys back: the service may have applied the
 * regeneration and lost the answer (and the SDK's retries apply it again). The key's value against
 * the one before the run tells which.
 */
async function readBack(azure, account, key, previous) {
    try {
        const keys = await azure.listKeys(account);
        const now = keys.find((k) => k.name === key)?.value;
        if (!now)
            return { applied: undefined, reason: `the account returned no ${key}` };
        return { applied: now !== previous, keys };
    }
    catch (error) {
        return { applied: undefined, reason: `reading the keys back failed: ${(0,secrets/* describeError */.Uc)(error)}` };
    }
}
/** Regenerates a key, recording in the run what holds a dead value from then on. */
async function regenerate(run, step) {
    run.regenerating = step.key;
    try {
        return await requestRegeneration(run, step);
    }
    finally {
        run.regenerating = undefined;
    }
}
async function requestRegeneration(run, step) {
    const previous = run.keys.get(step.key).value;
    const other = run.keys.get(otherKey(step.key)).value;
    let after;
    const requestedAt = run.now();
    try {
        after = await run.azure.regenerateKey(run.account, step.key, { cancel: run.cancel });
    }
    catch (error) {
        // Held back by the cancel before it went out: nothing happened to the key.
        if (error instanceof port/* NotSentError */.S && !error.earlierAttemptSent) {
            stopForCancel(run);
            return { step, status: 'not run' };
        }
        if (error instanceof port/* NotSentError */.S)
            run.cancelled = true;
        return regenerationFailed(run, step, (0,secrets/* describeError */.Uc)(error), previous, requestedAt);
    }
    const fresh = after.find((k) => k.name === step.key)?.value;
    if (!fresh || fresh === previous) {
        run.stopped = `regenerating ${step.key} did not return a new value for it`;
        return { step, status: 'failed', error: run.stopped };
    }
    regenerated(run, step.key, after, run.now());
    if (run.keys.get(otherKey(step.key))?.value !== other) {
        return {
            step,
            status: 'partly failed',
            error: `${otherKey(step.key)} changed too while ${step.key} was regenerated: something else is rotating this account's keys`,
        };
    }
    return { step, status: 'done' };
}
/** The key is regenerated (its new value among `after`): what held it holds a dead value now. */
function regenerated(run, key, after, at) {
    for (const k of after)
        run.keys.set(k.name, k);
    run.regenerated.push(key);
    for (const ws of run.workspaces.values()) {
        if (ws.holdsAfter !== key)
            continue;
        run.invalidSince.set((0,resource_id/* refKey */.XF)(ws.ref), at);
        ws.holdsAfter = 'stale';
    }
    for (const outcome of run.consumers.values()) {
        if (outcome.holds === key)
            outcome.holds = 'stale';
    }
}
/**
 * regenerateKey answered an error. It may have been applied all the same (an answer lost on the
 * way, each SDK retry applying it again): the keys read back tell, and the run reports what they
 * say. Either way the run stops here.
 */
async function regenerationFailed(run, step, reason, previous, requestedAt) {
    const found = await readBack(run.azure, run.account, step.key, previous);
    if (found.applied === true) {
        // Applied at some point after the request went out: counted from then, the longer window.
        regenerated(run, step.key, found.keys, requestedAt);
        run.stopped = `regenerating ${step.key} answered an error (${reason}), but the keys read back show ${step.key} was regenerated all the same; the run stopped there`;
        return {
            step,
            status: 'failed',
            error: `${reason}; the keys read back show ${step.key} changed`,
        };
    }
    if (found.applied === false) {
        for (const k of found.keys)
            run.keys.set(k.name, k);
        run.stopped = `regenerating ${step.key} failed: ${reason}`;
        return { step, status: 'failed', error: reason };
    }
    run.uncertain = step.key;
    run.stopped = `regenerating ${step.key} failed (${reason}), and whether it was regenerated is unknown: ${found.reason}`;
    return { step, status: 'failed', error: `${reason}; ${found.reason}` };
}

;// CONCATENATED MODULE: ./src/execute/execute.ts









/**
 * Runs the plan's steps in order. It decides nothing beyond one safety rule: no key is regenerated
 * after an earlier step failed, since a consumer may still hold it.
 */
async function execute(azure, inventory, plan, options) {
    const run = startRun(azure, inventory, plan, options);
    options.progress?.(() => progressOf(run, plan.steps));
    const ended = [];
    for (let index = 0; index < plan.steps.length;) {
        const step = plan.steps[index];
        if (run.stopped === undefined && run.cancel?.aborted)
            stopForCancel(run);
        if (run.stopped === undefined &&
            step.kind === 'regenerate' &&
            ended.some((r) => r.status !== 'done')) {
            run.stopped = `stopped before regenerating ${step.key}: an earlier step failed, and a consumer may still hold ${step.key}`;
        }
        // Resyncs of different workspaces next to each other do not depend on one another: they run
        // together, each waiting on its own workspace, and are told in the plan's order.
        const batch = step.kind === 'resync' ? resyncRun(plan.steps, index) : [step];
        const batchResults = run.stopped === undefined
            ? await Promise.all(batch.map((s) => runStep(run, s)))
            : batch.map((s) => ({ step: s, status: 'not run' }));
        for (const result of batchResults) {
            run.results.set(result.step, result);
            ended.push(result);
            options.onStep?.(result);
        }
        index += batch.length;
    }
    return progressOf(run, plan.steps);
}
function startRun(azure, inventory, plan, options) {
    const managed = inventory.workspaces.filter((ws) => ws.inScope);
    const planned = writeTargets(plan).consumers;
    const consumers = new Map();
    const tracked = (c) => (0,discover_inventory/* usesAccountKey */.vY)(c) || planned.has((0,discover_inventory/* consumerId */.Ki)(c));
    for (const c of managed.flatMap((ws) => ws.consumers).filter(tracked)) {
        consumers.set((0,discover_inventory/* consumerId */.Ki)(c), {
            ref: (0,discover_inventory/* refOf */.H8)(c),
            status: planned.has((0,discover_inventory/* consumerId */.Ki)(c)) ? 'not run' : 'unchanged',
            holds: (0,discover_inventory/* knownHolding */.ve)(c.holds) ?? 'stale',
            fresh: false,
        });
    }
    const workspaces = new Map();
    for (const ws of managed.filter((w) => w.usesAccountAsDefault)) {
        workspaces.set((0,resource_id/* refKey */.XF)(ws.ref), {
            ref: ws.ref,
            status: 'not run',
            holdsBefore: (0,discover_inventory/* knownHolding */.ve)(ws.holds),
            holdsAfter: (0,discover_inventory/* knownHolding */.ve)(ws.holds),
        });
    }
    return {
        azure,
        account: inventory.account.ref,
        concurrency: options.concurrency,
        now: options.now ?? Date.now,
        resyncTimeoutMs: options.resyncTimeoutMs,
        cancel: options.cancel,
        keys: new Map(inventory.keys.map((k) => [k.name, k])),
        regenerated: [],
        consumers,
        workspaces,
        invalidSince: new Map(),
        listed: new Map(inventory.workspaces.flatMap((ws) => ws.consumers).map((c) => [(0,discover_inventory/* consumerId */.Ki)(c), c])),
        resynced: new Set(),
        results: new Map(),
        underway: new Set(),
    };
}
/** The resync steps from `index` on, up to the first other step or a workspace already in it. */
function resyncRun(steps, index) {
    const batch = [];
    const seen = new Set();
    for (const step of steps.slice(index)) {
        if (step.kind !== 'resync' || seen.has((0,resource_id/* refKey */.XF)(step.workspace)))
            break;
        seen.add((0,resource_id/* refKey */.XF)(step.workspace));
        batch.push(step);
    }
    return batch;
}
/** Runs one step, known to the run as under way until its result is in. */
async function runStep(run, step) {
    run.underway.add(step);
    const result = await (step.kind === 'regenerate'
        ? regenerate(run, step)
        : step.kind === 'resync'
            ? resync(run, step)
            : move(run, step));
    run.results.set(step, result);
    run.underway.delete(step);
    return result;
}
async function resync(run, step) {
    const id = (0,resource_id/* refKey */.XF)(step.workspace);
    const outcome = run.workspaces.get(id);
    outcome.status = 'unknown';
    run.resynced.add(id);
    const limit = run.resyncTimeoutMs;
    const abortSignal = limit === undefined ? undefined : AbortSignal.timeout(limit);
    try {
        await run.azure.resyncKeys(step.workspace, { abortSignal });
        const ownKey = await run.azure.workspaceStorageKey(step.workspace);
        outcome.holdsAfter = await confirmedHolding(run, ownKey);
        const unconfirmed = unconfirmedCopy(outcome);
        if (unconfirmed) {
            Object.assign(outcome, { status: 'failed', error: unconfirmed });
            return { step, status: 'failed', error: unconfirmed };
        }
        outcome.status = 'resynced';
        const since = run.invalidSince.get(id);
        if (since !== undefined) {
            outcome.invalidForMs = (outcome.invalidForMs ?? 0) + (run.now() - since);
            run.invalidSince.delete(id);
        }
        return { step, status: 'done' };
    }
    catch (error) {
        outcome.status = 'failed';
        outcome.error = abortSignal?.aborted
            ? `the resync did not finish within ${limit / 60_000} minute(s) (resync-timeout-minutes); it may still finish in Azure, and the workspace's own copy is unconfirmed`
            : (0,secrets/* describeError */.Uc)(error);
        return { step, status: 'failed', error: outcome.error };
    }
}
/** The key the workspace's copy matches: against the keys as last read, then as they are now. */
async function confirmedHolding(run, ownKey) {
    const holds = (0,discover_inventory/* workspaceHolding */.z3)(ownKey, [...run.keys.values()]);
    if (holds !== 'stale')
        return holds;
    const current = await run.azure.listKeys(run.account);
    for (const k of current)
        run.keys.set(k.name, k);
    return (0,discover_inventory/* workspaceHolding */.z3)(ownKey, current);
}
/** Why a completed resync is not a success: the workspace's copy is not on a current key. */
function unconfirmedCopy(outcome) {
    if (outcome.holdsAfter === 'stale') {
        return "the resync completed, but the workspace's own copy still matches neither of the account's current keys";
    }
    if (outcome.holdsAfter === undefined && outcome.holdsBefore !== undefined) {
        return 'the resync completed, but the workspace returned no storage key to confirm it by';
    }
    return undefined;
}
/** A consumer of a move the cancel came before: its write was not started. */
const NOT_STARTED = 'not started';
async function move(run, step) {
    // The key's value now, not as this run last saw it: if something else regenerated it
    // meanwhile, the old value would be written to the consumers and "verified".
    let current;
    try {
        current = await run.azure.listKeys(run.account);
    }
    catch (error) {
        return { step, status: 'failed', error: (0,secrets/* describeError */.Uc)(error) };
    }
    const key = current.find((k) => k.name === step.to)?.value;
    if (!key)
        return { step, status: 'failed', error: `the account returned no ${step.to}` };
    const changedElsewhere = key !== run.keys.get(step.to).value;
    for (const k of current)
        run.keys.set(k.name, k);
    const fresh = run.regenerated.includes(step.to);
    // A SAS consumer's token is re-signed by the key, and checked against the keys as they are now.
    const signing = {
        account: run.account.name.toLowerCase(),
        key: step.to,
        keys: (0,sas/* accountKeys */.EF)(current),
    };
    const errors = await (0,concurrency/* mapLimit */.sf)(step.consumers, run.concurrency, async (ref) => {
        const outcome = run.consumers.get((0,discover_inventory/* consumerId */.Ki)(ref));
        if (run.cancel?.aborted)
            return NOT_STARTED;
        outcome.status = 'unknown';
        const target = {
            consumer: run.listed.get((0,discover_inventory/* consumerId */.Ki)(ref)) ?? ref,
            resyncedSinceListing: run.resynced.has((0,resource_id/* refKey */.XF)(ref.workspace)),
            signing,
            to: step.to,
        };
        const result = await (0,src_consumers/* adapterFor */.f)(ref.kind).rekey(run.azure, target, key);
        if (typeof result === 'string') {
            Object.assign(outcome, { status: 'failed', error: result });
            return result;
        }
        Object.assign(outcome, { status: 'updated', holds: step.to, fresh, error: undefined });
        if (result)
            outcome.written = result;
        return undefined;
    });
    const notStarted = errors.filter((e) => e === NOT_STARTED).length;
    if (notStarted > 0)
        stopForCancel(run);
    if (notStarted === errors.length)
        return { step, status: 'not run' };
    const failures = errors.filter(Boolean).length - notStarted;
    if (changedElsewhere) {
        return {
            step,
            status: 'partly failed',
            error: `${step.to} changed outside this run (is another rotation running?); consumers got its current value`,
        };
    }
    if (failures + notStarted === 0)
        return { step, status: 'done' };
    const parts = [
        failures > 0 ? `${failures} of ${errors.length} consumers failed` : '',
        notStarted > 0
            ? `${notStarted} of ${errors.length} were not started (the run was cancelled)`
            : '',
    ];
    return {
        step,
        status: failures === errors.length ? 'failed' : 'partly failed',
        error: parts.filter(Boolean).join('; '),
    };
}

// EXTERNAL MODULE: ./src/report/failure.ts
var failure = __webpack_require__(3304);
// EXTERNAL MODULE: ./src/inputs/input-secrets.ts
var input_secrets = __webpack_require__(5961);
// EXTERNAL MODULE: ./src/inputs/inputs.ts + 1 modules
var inputs_inputs = __webpack_require__(4832);
// EXTERNAL MODULE: ./src/azure/cloud.ts
var azure_cloud = __webpack_require__(6370);
;// CONCATENATED MODULE: ./src/key-usage/metrics.ts
/** The dimension values of requests signed with an account key: Shared Key, and SAS tokens. */
const KEY_SIGNED = ['AccountKey', 'SAS'];
/** The totals in the order shown: the key-signed ones first (always), then the rest, busiest first. */
function transactionRows(totals) {
    const named = (name) => Object.entries(totals)
        .filter(([k]) => k.toLowerCase() === name.toLowerCase())
        .reduce((n, [, v]) => n + v, 0);
    const rest = Object.entries(totals)
        .filter(([k]) => !KEY_SIGNED.some((s) => s.toLowerCase() === k.toLowerCase()))
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    return [...KEY_SIGNED.map((name) => [name, named(name)]), ...rest];
}
/** One sentence for the notice and the summary: what the metrics say, and what they cannot. */
function describeTransactions(metrics, days) {
    if (metrics.status === 'failed')
        return metrics.reason;
    const [[, accountKey], [, sas]] = transactionRows(metrics.byAuthentication);
    return (`The platform metrics (always recorded) count ${accountKey} request(s) authorised with an ` +
        `account key and ${sas} with a SAS in the last ${days} days, of both keys together: they ` +
        'cannot tell key1 from key2, nor who made the requests.');
}

;// CONCATENATED MODULE: ./src/key-usage/notes.ts

/** What the run tells of the key-usage evidence: missing, partial, or callers already broken. */
function keyUsageNotes(usage) {
    if (!usage)
        return [];
    const note = (level, text, subjects = []) => ({
        level,
        kind: 'key-usage',
        text,
        subjects,
    });
    if (usage.status === 'no-logs') {
        const metrics = usage.metrics && describeTransactions(usage.metrics, usage.lookbackDays);
        return [note('notice', metrics ? `${usage.reason} ${metrics}` : usage.reason)];
    }
    if (usage.status === 'failed') {
        return [note('warning', `Who uses each key is unknown: ${usage.reason}`)];
    }
    const notes = [];
    const broken = usage.keys.flatMap((k) => (k.older?.top ?? [])
        .filter((c) => c.broken)
        .map((c) => `${c.ip} (${c.userAgent}) on ${k.key}, last seen ${c.lastSeen}`));
    if (broken.length > 0) {
        notes.push(note('warning', "Callers signed requests with an older value of a key and have not been seen on a current key since: they are already broken, whatever this run does. Give them the key's current value.", broken));
    }
    if (usage.partialError) {
        notes.push(note('warning', `The key-usage query answered in part: ${usage.partialError}`));
    }
    if (usage.unreadableTables) {
        notes.push(note('warning', `The login may not read ${usage.unreadableTables.join(', ')} (Microsoft.Insights/logs/<table>/read on the account): the key-usage query leaves their requests out without an error, so the evidence lacks them.`));
    }
    if (usage.partial.length > 0) {
        notes.push(note('notice', `The diagnostic settings of ${usage.partial.join(', ')} send only some of StorageRead, StorageWrite and StorageDelete: requests of the others are not in the evidence.`));
    }
    if (usage.hashUnrecognised) {
        notes.push(note('notice', "A key hash in the logs matched no key value as the action computes it; requests that succeeded after the key's last regeneration were counted as its current value's."));
    }
    return notes;
}

;// CONCATENATED MODULE: ./src/report/rows.ts






/** The result of a consumer whose write a cancel cut short: its error says why. */
const UNANSWERED = 'UNKNOWN';
function keyRows(inventory, plan, execution, now) {
    const managed = (0,discover_inventory/* managedWorkspaces */.wn)(inventory);
    // A live SAS token depends on the key that signed it as an AccountKey consumer on the key it holds.
    const dependents = managed.flatMap((ws) => ws.consumers);
    const state = (key) => ({
        createdOn: key?.createdOn?.toISOString(),
        ageDays: key?.createdOn ? Math.floor((0,key_age/* ageDays */.BJ)(key, now)) : undefined,
    });
    return inventory.keys.map((k) => ({
        name: k.name,
        before: state(k),
        after: execution ? state(execution.keysAfter.find((a) => a.name === k.name)) : undefined,
        heldBy: dependents.filter((c) => (0,discover_inventory/* dependsOn */.fr)(c) === k.name).length +
            managed.filter((w) => w.holds === k.name).length,
        due: plan?.due.includes(k.name) ?? false,
    }));
}
function consumerRows(inventory, plan, execution, cloud) {
    const places = new Map(inventory.workspaces.map((ws) => [(0,resource_id/* refKey */.XF)(ws.ref), ws]));
    return (0,discover_inventory/* allConsumers */.XR)(inventory).map((c) => {
        const id = (0,discover_inventory/* consumerId */.Ki)(c);
        const done = execution?.consumers.get(id);
        const place = places.get((0,resource_id/* refKey */.XF)(c.workspace));
        const workspaceId = place?.id;
        const isSecret = c.kind === 'key-vault-secret';
        return {
            kind: c.kind,
            ...(isSecret ? {} : { workspace: c.workspace.name }),
            where: {
                kind: isSecret ? 'key-vault' : 'workspace',
                name: c.workspace.name,
                resourceGroup: c.workspace.resourceGroup,
                ...(place ? { id: place.id } : {}),
            },
            inScope: c.inScope,
            name: c.name,
            type: c.type,
            target: c.target,
            credentials: c.credentials,
            isDefault: c.isDefault,
            keyHeld: c.holds ?? '',
            ...(c.remarks ? { remarks: c.remarks } : {}),
            sas: c.auth === 'Sas' ? sasRow(c) : undefined,
            plannedAction: plan.actions.get(id) ?? '',
            result: c.auth === 'Sas'
                ? sasResult(c, done, execution, plan.actions.get(id) ?? '')
                : consumerResult(done, execution, c.inScope),
            keyAfter: done && done.status !== 'unknown' ? done.holds : undefined,
            error: done?.error,
            link: cloud && workspaceId && c.kind === 'datastore'
                ? (0,azure_cloud/* studioDatastoreLink */.WQ)(cloud, workspaceId, c.name)
                : undefined,
            ...(isSecret ? { secret: secretRow(c, plan, done) } : {}),
        };
    });
}
/** A secret's versions, and the key it leaves with when the grace period lets that key go. */
function secretRow(c, plan, done) {
    const drain = plan.held.find((d) => d.holders?.includes((0,discover_inventory/* consumerId */.Ki)(c)));
    const written = done?.written;
    return {
        ...(c.versionCreatedOn ? { versionCreatedOn: c.versionCreatedOn.toISOString() } : {}),
        ...(written
            ? {
                newVersion: {
                    ...(written.version ? { version: written.version } : {}),
                    ...(written.createdOn ? { createdOn: written.createdOn.toISOString() } : {}),
                },
            }
            : {}),
        ...(drain
            ? { leaves: { key: drain.key, ...(drain.until ? { until: drain.until.toISOString() } : {}) } }
            : {}),
    };
}
function workspaceRows(inventory, plan, execution, cloud) {
    const resynced = plan ? writeTargets(plan).workspaces : new Set();
    // A Key Vault's secrets are in the consumers' rows; the vault itself holds no key to resync.
    return inventory.workspaces
        .filter((ws) => ws.kind !== 'key-vault')
        .map((ws) => {
        const done = execution?.workspaces.get((0,resource_id/* refKey */.XF)(ws.ref));
        return {
            workspace: ws.ref.name,
            resourceGroup: ws.ref.resourceGroup,
            inScope: ws.inScope,
            defaultStorage: ws.usesAccountAsDefault,
            keyHeld: ws.holds,
            keyAfter: done?.holdsAfter,
            resync: !ws.inScope
                ? 'outside the managed workspaces'
                : !resynced.has((0,resource_id/* refKey */.XF)(ws.ref))
                    ? 'not needed'
                    : !execution
                        ? 'planned (not run)'
                        : (done?.status ?? 'not run'),
            invalidForMs: done?.invalidForMs,
            consumersOnAccount: ws.consumers.length,
            error: done?.error,
            link: cloud ? (0,azure_cloud/* portalLink */.jg)(cloud, ws.id) : undefined,
        };
    });
}
function consumerResult(done, execution, inScope) {
    if (!inScope)
        return 'left as it is (outside the managed workspaces)';
    if (!execution)
        return 'not applied';
    if (!done)
        return 'no change';
    switch (done.status) {
        case 'updated':
            return `updated: holds ${done.fresh ? 'new ' : ''}${done.holds}, verified`;
        case 'failed':
            return `FAILED: still holds ${done.holds}`;
        case 'not run':
            return `NOT UPDATED: still holds ${done.holds}`;
        case 'unknown':
            return UNANSWERED;
        default:
            return `no change: holds ${done.holds}`;
    }
}
function sasRow(c) {
    const sas = c.sas;
    return {
        signedBy: sas?.signedBy ?? 'unknown',
        kind: sas?.kind ?? 'other',
        version: sas?.version,
        expiresOn: sas?.expiresOn?.toISOString(),
        expired: sas?.expired ?? false,
        policy: sas?.policy,
        reason: sas?.reason,
        text: (0,plan_sas/* describeSas */.Fk)(c),
    };
}
/** What happened to a SAS consumer: renewed (and verified), broken by the run, or left. */
function sasResult(c, done, execution, planned) {
    if (!c.inScope && !planned.startsWith('BREAKS'))
        return 'left as it is (outside the managed workspaces)';
    if (!execution)
        return 'not applied';
    if (done) {
        switch (done.status) {
            case 'updated':
                return `renewed: token signed by ${done.fresh ? 'new ' : ''}${done.holds}, verified`;
            case 'failed':
                return `FAILED: token not renewed, signed by ${done.holds}`;
            case 'not run':
                return `NOT RENEWED: token signed by ${done.holds}`;
            case 'unknown':
                return UNANSWERED;
            default:
                return `no change: token signed by ${done.holds}`;
        }
    }
    const signer = c.sas?.signedBy;
    if (planned.startsWith('BREAKS') && execution.regenerated.some((k) => k === signer)) {
        return `BROKEN: its token was signed by ${signer}, which was regenerated`;
    }
    if (planned.startsWith('BREAKS') && execution.regenerated.length === 2) {
        return 'BROKEN: both keys were regenerated, and an account key signed its token';
    }
    return 'left as it is';
}

// EXTERNAL MODULE: ./src/util/text.ts
var util_text = __webpack_require__(9997);
;// CONCATENATED MODULE: ./src/report/outcome.ts


function outcomeOf(report, failure) {
    if (report.cancelled)
        return 'cancelled';
    if (failure?.refused)
        return 'blocked';
    if (report.result.failed)
        return 'failed';
    if (report.mode === 'dry-run')
        return 'dry-run';
    if (report.result.rotated)
        return 'rotated';
    if (report.blockedBySas)
        return 'blocked-by-sas';
    return report.heldBack.length > 0 ? 'drained' : 'not-due';
}
/** "rotated key2 · 3 datastores and 2 connections moved · 0 failed · workspace copy invalid 0 s · 41 s" */
function headlineOf(report, outcome) {
    const r = report.result;
    const moved = amount(r.datastoresUpdated, r.connectionsUpdated, r.secretsUpdated);
    const failed = r.datastoresFailed + r.connectionsFailed + r.secretsFailed;
    const total = `${seconds(report.timings.reduce((sum, t) => sum + t.ms, 0))} s`;
    const window = Math.max(0, ...report.workspaces.map((w) => w.invalidForMs ?? 0));
    const regenerated = r.regeneratedKeys.join(' and ');
    switch (outcome) {
        case 'rotated':
            return [
                `Rotated ${regenerated}`,
                `${moved} moved`,
                `${failed} failed`,
                `workspace copy invalid ${seconds(window)} s`,
                total,
            ].join(' · ');
        case 'not-due':
            return [
                `No key regenerated (${report.decision})`,
                `${moved} moved`,
                `${failed} failed`,
                total,
            ].join(' · ');
        case 'dry-run': {
            const wouldStop = report.refused || report.missingPermissions;
            return [
                `Dry run: ${report.regenerate.length > 0 ? `would regenerate ${report.regenerate.join(' then ')}` : 'would regenerate nothing'}`,
                `${report.steps.length} step(s) planned`,
                wouldStop ? 'a rotation would stop before its first write' : 'nothing changed',
                total,
            ].join(' · ');
        }
        case 'drained':
            return [
                `No key regenerated: ${report.heldBack.map((h) => `${h.key} drained, may be regenerated ${h.until ? `from ${h.until.slice(0, 16).replace('T', ' ')} UTC` : 'once the run can prove it unused'}`).join('; ')}`,
                `${moved} moved`,
                `${failed} failed`,
                total,
            ].join(' · ');
        case 'blocked':
            return ['Blocked before the first write: nothing changed', total].join(' · ');
        case 'blocked-by-sas':
            return [
                'No key regenerated: every key it would regenerate signs a live SAS token (sas: skip-keys)',
                `${moved} moved`,
                `${failed} failed`,
                total,
            ].join(' · ');
        case 'cancelled':
            return cancelledHeadline(report, moved, total);
        case 'failed':
            if (report.failure)
                return ['Failed before the first write: nothing changed', total].join(' · ');
            return [
                `Failed${regenerated ? ` after regenerating ${regenerated}` : ', no key regenerated'}`,
                `${moved} moved`,
                `${failed} not updated`,
                total,
            ].join(' · ');
    }
}
/** "Cancelled (SIGINT) after regenerating key2 · 1 datastore moved · 2 not updated · 1 unknown · 9 s" */
function cancelledHeadline(report, moved, total) {
    const r = report.result;
    const by = `Cancelled (${report.cancelled?.signal})`;
    if (report.failure)
        return [`${by} before the first write: nothing changed`, total].join(' · ');
    const unknown = report.consumers.filter((c) => c.result === UNANSWERED).length;
    const unconfirmed = report.workspaces.filter((w) => w.resync === 'unknown').length;
    const uncertain = report.steps.some((s) => s.text.startsWith('Regenerate') && s.status === 'unknown');
    const regenerated = r.regeneratedKeys.join(' and ');
    return [
        `${by}${regenerated ? ` after regenerating ${regenerated}` : uncertain ? ' while regenerating a key' : ', no key regenerated'}`,
        `${moved} moved`,
        `${r.datastoresFailed + r.connectionsFailed + r.secretsFailed - unknown} not updated`,
        ...(unknown > 0 ? [`${unknown} unknown`] : []),
        ...(unconfirmed > 0 ? [`${unconfirmed} resync(s) unconfirmed`] : []),
        total,
    ].join(' · ');
}
/** What needs a person: failures with their reason, what breaks, what is missing or unseen. */
function attentionOf(report) {
    const lines = [];
    if (report.failure)
        lines.push(report.failure);
    if (report.result.stopped)
        lines.push((0,util_text/* capitalise */.s)(`${report.result.stopped}.`));
    for (const step of report.steps.filter((s) => s.error && s.status !== 'done')) {
        if (!step.text.startsWith('Re-key'))
            lines.push(`${step.text}: ${step.error}`);
    }
    for (const c of report.consumers.filter((row) => row.error)) {
        const what = c.result === UNANSWERED ? 'may or may not have been updated' : 'was not updated';
        lines.push(`${(0,util_text/* capitalise */.s)(describeRow(c))} ${what}: ${c.error}`);
    }
    if (report.mode === 'dry-run' && report.refused) {
        lines.push(`A rotation would stop before its first write: ${report.refused}`);
    }
    if (report.missingPermissions && !report.failure) {
        lines.push(report.mode === 'dry-run'
            ? `A rotation would fail: ${report.missingPermissions}`
            : report.missingPermissions);
    }
    for (const note of report.notes.filter((n) => n.level === 'warning')) {
        lines.push(withSubjects(note));
    }
    if (report.result.rerun)
        lines.push(report.result.rerun);
    return lines;
}
/** "…update them: datastore 'a' (workspace 'w'); …; and 4 more." */
function withSubjects(note, shown = 5) {
    if (note.subjects.length === 0)
        return note.text;
    return `${note.text.replace(/\.$/, '')}: ${list(note.subjects, shown)}`;
}
/** "a; b; c; and 4 more.": the first few names of a long list. */
function list(names, shown = 5) {
    if (names.length === 0)
        return '';
    const head = names.slice(0, shown).join('; ');
    return names.length > shown ? `${head}; and ${names.length - shown} more.` : `${head}.`;
}
/** "datastore 'a' (workspace 'ws')", "secret 's' (key vault 'kv')": how the report names a row. */
function describeRow(c) {
    return c.kind === 'key-vault-secret'
        ? `secret '${c.name}' (key vault '${c.where.name}')`
        : `${c.kind} '${c.name}' (workspace '${c.workspace ?? c.where.name}')`;
}
/** "3 datastores", "1 datastore and 2 connections", "0 datastores, 1 connection and 2 secrets". */
function amount(datastores, connections, secrets) {
    const plural = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const parts = [plural(datastores, 'datastore')];
    if (connections > 0)
        parts.push(plural(connections, 'connection'));
    if (secrets > 0)
        parts.push(plural(secrets, 'secret'));
    return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
}
const seconds = (ms) => (ms / 1000).toFixed(1);
/**
 * What to do after a failure or a cancel: a rerun with none moves everyone onto the newest key, the
 * last one regenerated, and resyncs each workspace whose own copy is not on a current key. A rerun
 * observes afresh, so it reads back what a cancel left unknown.
 */
function rerunAdvice(execution, cancelled = false) {
    const newest = execution.regenerated.at(-1);
    const unconfirmed = [...execution.workspaces.values()]
        .filter((w) => w.status === 'failed' || w.status === 'unknown' || w.holdsAfter === 'stale')
        .map((w) => `'${w.ref.name}'`);
    const workspaces = unconfirmed.length === 0
        ? ''
        : ` The own copy of workspace ${unconfirmed.join(', ')} is not confirmed on a current key: the rerun resyncs it again; if it stays off, run az ml workspace sync-keys for it, or wait for Azure ML to pick up the account's keys by itself (about an hour).`;
    const rerun = cancelled ? 'Rerun' : 'Fix the cause, then rerun';
    if (execution.uncertain) {
        const why = cancelled
            ? 'the run was cancelled before its request was answered'
            : 'its request answered an error and the keys could not be read back';
        return `Whether ${execution.uncertain} was regenerated is unknown: ${why}. ${rerun} with key-name: none: it reads the keys, regenerates nothing and moves every consumer onto the newest key.${workspaces}`;
    }
    const unknown = [...execution.consumers.values()].some((c) => c.status === 'unknown')
        ? ' It reads back every consumer, those whose write the cancel left unknown too.'
        : '';
    return newest
        ? `${rerun} with key-name: none. It regenerates nothing and moves every remaining consumer onto ${newest}.${unknown}${workspaces}`
        : `No key was regenerated. ${rerun} with the same inputs.${unknown}${workspaces}`;
}

;// CONCATENATED MODULE: ./src/execute/permissions.ts






const STORAGE = 'Microsoft.Storage/storageAccounts';
const WORKSPACE = 'Microsoft.MachineLearningServices/workspaces';
const KEY_VAULT = 'Microsoft.KeyVault/vaults';
/** Every action the action may use, for the least-privilege role (role/ in the repository). */
const ALL_ACTIONS = [
    `${STORAGE}/read`,
    `${STORAGE}/listkeys/action`,
    `${STORAGE}/regeneratekey/action`,
    `${WORKSPACE}/read`,
    `${WORKSPACE}/listKeys/action`,
    `${WORKSPACE}/resynckeys/action`,
    `${WORKSPACE}/datastores/read`,
    `${WORKSPACE}/datastores/write`,
    `${WORKSPACE}/datastores/listsecrets/action`,
    `${WORKSPACE}/connections/read`,
    `${WORKSPACE}/connections/write`,
    `${WORKSPACE}/connections/listsecrets/action`,
    ...EVIDENCE_ACTIONS,
];
/** The actions the plan needs, per scope: reads always, writes only where the plan writes. */
function requiredPermissions(inventory, plan) {
    const storage = [`${STORAGE}/read`, `${STORAGE}/listkeys/action`];
    if (plan.regenerate.length > 0)
        storage.push(`${STORAGE}/regeneratekey/action`);
    const { consumers: moved, workspaces: resynced } = writeTargets(plan);
    const managed = (0,discover_inventory/* managedWorkspaces */.wn)(inventory);
    const workspaces = managed
        .filter((ws) => ws.kind !== 'key-vault')
        .map((ws) => {
        const actions = [`${WORKSPACE}/read`, ...src_consumers/* ADAPTERS */.R.map((a) => a.actions.list)];
        if (ws.usesAccountAsDefault)
            actions.push(`${WORKSPACE}/listKeys/action`);
        // Discovery reads the secret of every AccountKey and SAS consumer (a SAS token's signer).
        const keyed = ws.consumers.filter((c) => c.auth !== 'Other');
        actions.push(...kindsOf(keyed).map((a) => a.actions.readSecret));
        if (resynced.has((0,resource_id/* refKey */.XF)(ws.ref)))
            actions.push(`${WORKSPACE}/resynckeys/action`);
        // Re-keying and SAS renewal need only the write action of the consumer's kind.
        const rekeyed = keyed.filter((c) => moved.has((0,discover_inventory/* consumerId */.Ki)(c)));
        actions.push(...kindsOf(rekeyed).map((a) => a.actions.write));
        return { scope: ws.id, name: ws.ref.name, actions };
    });
    // A vault's secrets are reached through its data plane: what its moves need there is checked
    // apart (execute/vault-permissions.ts), at each secret's scope or against its access policies.
    const vaults = managed
        .filter((ws) => ws.kind === 'key-vault')
        .map((ws) => ({ scope: ws.id, name: ws.ref.name, actions: [`${KEY_VAULT}/read`] }));
    const evidence = evidenceActions(inventory.keyUsage);
    return [
        {
            scope: inventory.account.id,
            name: inventory.account.ref.name,
            actions: storage,
            ...(evidence.length > 0 ? { evidence } : {}),
        },
        ...workspaces,
        ...vaults,
    ];
}
const kindsOf = (consumers) => [...new Set(consumers.map((c) => c.kind))].map(src_consumers/* adapterFor */.f);
/** Whether the granted permissions (Microsoft.Authorization/permissions) allow each action. */
function checkPermissions(required, granted) {
    const check = (action, allowed = isGranted(granted, action)) => ({
        scope: required.scope,
        name: required.name,
        action,
        allowed,
        ...(required.grant ? { grant: required.grant } : {}),
        ...(required.bestEffort ? { bestEffort: true } : {}),
    });
    return [
        ...required.actions.map((action) => check(action)),
        ...(required.dataActions ?? []).map((action) => check(action, isDataGranted(granted, action))),
        ...(required.evidence ?? []).map((action) => ({ ...check(action), evidence: true })),
    ];
}
const ROLE_ADVICE = 'Assign the role in role/aml-storage-key-rotation.json (see the README).';
function missingPermissionsMessage(checks) {
    const missing = checks.filter((c) => c.allowed === false && !c.evidence && !c.bestEffort);
    if (missing.length === 0)
        return undefined;
    const byScope = new Map();
    for (const c of missing)
        byScope.set(c.name, [...(byScope.get(c.name) ?? []), c.action]);
    const list = [...byScope].map(([name, actions]) => `${name}: ${actions.join(', ')}`).join('; ');
    const advice = [...new Set(missing.map((c) => c.grant ?? ROLE_ADVICE))].join(' ');
    return `The login lacks permissions this rotation needs (${list}). Nothing was changed. ${advice}`;
}
/** The evidence reads the login lacks: the run goes on, knowing less of who uses each key. */
function missingEvidenceMessage(checks) {
    const missing = checks.filter((c) => c.allowed === false && c.evidence);
    if (missing.length === 0)
        return undefined;
    const list = missing.map((c) => `${c.action} on ${c.name}`).join(', ');
    return `The login lacks reads the key-usage evidence needs (${list}): who uses each key is unknown or incomplete, and under require-unused-days no key is regenerated. The role in role/aml-storage-key-rotation.json grants them.`;
}

;// CONCATENATED MODULE: ./src/report/summary-html.ts
/** HTML for the job summary: escaping, and the few elements it is built of. */
const ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '`': '&#96;',
    '*': '&#42;',
    _: '&#95;',
    '[': '&#91;',
    ']': '&#93;',
    '|': '&#124;',
    '\\': '&#92;',
};
/** Escapes a value from Azure (names can hold markup) for the summary's HTML and markdown. */
function summary_html_escape(value) {
    return String(value ?? '').replace(/[&<>"'`*_[\]|\\]/g, (c) => ENTITIES[c]);
}
/** Markup this module built itself: a table cell that is not escaped again. */
class Html {
    html;
    constructor(html) {
        this.html = html;
    }
}
const cell = (value) => (value instanceof Html ? value.html : summary_html_escape(value ?? '-'));
const summary_html_link = (text, url) => new Html(url ? `<a href="${summary_html_escape(url)}">${summary_html_escape(text)}</a>` : summary_html_escape(text));
function table(headers, rows) {
    const head = `<tr>${headers.map((h) => `<th>${summary_html_escape(h)}</th>`).join('')}</tr>`;
    const body = rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`);
    return `<table>${head}${body.join('')}</table>\n`;
}
const heading = (text) => `<h3>${summary_html_escape(text)}</h3>\n`;
const paragraph = (html) => `<p>${html}</p>\n`;
const items = (lines) => `<ul>${lines.map((l) => `<li>${summary_html_escape(l)}</li>`).join('')}</ul>\n`;
const details = (summary, html, open = false) => `<details${open ? ' open' : ''}><summary>${summary_html_escape(summary)}</summary>\n\n${html}</details>\n`;

;// CONCATENATED MODULE: ./src/report/app-refresh.ts




/** The report's rows of the refresh-apps apps. */
function appRefreshRows(outcomes) {
    return outcomes.map((o) => ({
        app: o.app.name,
        resourceGroup: o.app.resourceGroup,
        id: (0,resource_id/* resourceId */.a)(o.app, ...app_service/* SITES */.b),
        result: o.status,
        ...(o.error ? { error: o.error } : {}),
        references: o.references.map((r) => ({
            setting: r.setting,
            secret: r.secret,
            onNewVersion: r.onNewVersion,
            ...(r.status ? { status: r.status } : {}),
            ...(r.activeVersion ? { activeVersion: r.activeVersion } : {}),
            newVersion: r.newVersion,
        })),
    }));
}
/** An app whose refresh failed or left a reference behind: a person should look (annotations, issue). */
const appRefreshNotes = (outcomes) => appRefreshWarnings(outcomes).map((text) => ({
    level: 'warning',
    kind: 'app-refresh',
    text,
    subjects: [],
}));
/** "Apps (Key Vault references)": one row per app, its references to the moved secrets. */
function appRefreshSection(report) {
    const rows = report.appRefresh ?? [];
    if (rows.length === 0)
        return '';
    return (heading('Apps (Key Vault references)') +
        table(['App', 'Refresh', 'References to moved secrets'], rows.map((row) => [
            row.app,
            row.error ? `${row.result}: ${row.error}` : row.result,
            row.references
                .map((r) => `${r.setting} → ${r.secret}: ${r.onNewVersion ? 'on the new version' : `not on the new version (${r.status ?? 'no status'})`}`)
                .join('; ') || '-',
        ])));
}

;// CONCATENATED MODULE: ./src/report/report.ts








/** Builds the report of a run from whatever it got to: pure, so it can tell an early failure too. */
function buildReport(record, now) {
    const { inputs, inventory, plan, execution } = record;
    const cloud = inputs?.cloud;
    const regenerated = execution?.regenerated ?? [];
    const outcomes = [...(execution?.consumers.values() ?? [])];
    const count = (kind, statuses) => outcomes.filter((o) => o.ref.kind === kind && statuses.includes(o.status)).length;
    const failed = !!record.failure || !!record.cancelled || !!execution?.failed;
    const ref = inventory?.account.ref ?? inputs?.storageAccount;
    const accountId = inventory?.account.id;
    const partial = {
        mode: inputs?.dryRun ? 'dry-run' : 'rotation',
        generatedAt: now.toISOString(),
        account: {
            name: ref?.name ?? (record.accountInput || 'unknown'),
            resourceGroup: ref?.resourceGroup,
            subscriptionId: ref?.subscriptionId,
            id: accountId,
            link: cloud && accountId ? (0,azure_cloud/* portalLink */.jg)(cloud, accountId) : undefined,
        },
        keyName: inputs?.keyName,
        maxKeyAgeDays: inputs?.maxKeyAgeDays,
        ageLimit: plan?.ageLimit && { ...plan.ageLimit, text: (0,key_age/* describeLimit */.XW)(plan.ageLimit) },
        decision: plan?.decision,
        regenerate: plan?.regenerate ?? [],
        activeKey: plan && (regenerated.at(-1) ?? plan.activeKey),
        allOnActiveKey: plan ? allOnActiveKey(record, plan) : false,
        keys: inventory ? keyRows(inventory, plan, execution, now) : [],
        keyUsage: inventory?.keyUsage,
        steps: (plan?.steps ?? []).map((step, i) => ({
            text: describeStep(step),
            reason: step.reason,
            status: execution?.steps[i]?.status ?? (record.failure ? 'not run' : 'planned'),
            error: execution?.steps[i]?.error,
        })),
        consumers: inventory && plan ? consumerRows(inventory, plan, execution, cloud) : [],
        workspaces: inventory ? workspaceRows(inventory, plan, execution, cloud) : [],
        ...(record.appRefresh ? { appRefresh: appRefreshRows(record.appRefresh) } : {}),
        otherConsumers: otherConsumers(inventory, false),
        ...(inventory?.workspaces.some((ws) => ws.kind === 'key-vault')
            ? { otherSecrets: otherConsumers(inventory, true) }
            : {}),
        uninspected: inventory?.uninspected ?? [],
        unchecked: inventory
            ? (0,discover_inventory/* unreadHolders */.Fo)(inventory).map(({ name, reason }) => ({ name, reason }))
            : [],
        refused: plan?.refused,
        blockedBySas: plan?.blockedBySas,
        heldBack: (plan?.held ?? []).map((d) => ({
            key: d.key,
            until: d.until?.toISOString(),
            because: d.because,
        })),
        notes: [
            ...(plan?.notes ?? []),
            ...keyUsageNotes(inventory?.keyUsage),
            ...evidencePermissionNotes(record),
            ...appRefreshNotes(record.appRefresh ?? []),
        ],
        permissions: record.permissions ?? [],
        missingPermissions: missingPermissionsMessage(record.permissions ?? []),
        timings: record.timings,
        failure: record.failure?.message,
        cancelled: record.cancelled,
        result: {
            rotated: regenerated.length > 0,
            regeneratedKeys: regenerated,
            datastoresUpdated: count('datastore', ['updated']),
            datastoresFailed: count('datastore', ['failed', 'not run', 'unknown']),
            connectionsUpdated: count('connection', ['updated']),
            connectionsFailed: count('connection', ['failed', 'not run', 'unknown']),
            secretsUpdated: count('key-vault-secret', ['updated']),
            secretsFailed: count('key-vault-secret', ['failed', 'not run', 'unknown']),
            failed,
            stopped: execution?.stopped,
            rerun: execution?.failed ? rerunAdvice(execution, !!record.cancelled) : undefined,
        },
    };
    const outcome = outcomeOf(partial, record.failure);
    return {
        version: 2,
        outcome,
        headline: headlineOf(partial, outcome),
        attention: attentionOf(partial),
        ...partial,
    };
}
/** What the workspaces (or, `inVaults`, the Key Vaults) hold for other accounts or services. */
function otherConsumers(inventory, inVaults) {
    return (inventory?.workspaces ?? [])
        .filter((ws) => (ws.kind === 'key-vault') === inVaults)
        .reduce((n, ws) => n + ws.otherConsumers, 0);
}
function allOnActiveKey(record, plan) {
    const { inventory, execution } = record;
    if (!inventory || record.failure || execution?.failed)
        return false;
    const target = execution?.regenerated.at(-1) ?? plan.activeKey;
    if (execution)
        return [...execution.consumers.values()].every((o) => o.holds === target);
    return (0,discover_inventory/* managedWorkspaces */.wn)(inventory)
        .flatMap((ws) => ws.consumers.filter(discover_inventory/* usesAccountKey */.vY))
        .every((c) => c.holds === target);
}
function describeStep(step) {
    switch (step.kind) {
        case 'regenerate':
            return `Regenerate ${step.key}`;
        case 'resync':
            return `Resync the keys of workspace ${step.workspace.name}`;
        case 'move': {
            const names = step.consumers.map((c) => `${c.workspace.name}/${c.name}`);
            const shown = names.length > 5 ? [...names.slice(0, 5), `${names.length - 5} more`] : names;
            return `Re-key ${countOf(step.consumers)} with ${step.to} (${shown.join(', ')})`;
        }
    }
}
/** "3 datastores and 1 connection". */
function countOf(consumers) {
    const names = { datastore: 'datastore', connection: 'connection', 'key-vault-secret': 'secret' };
    const parts = ['datastore', 'connection', 'key-vault-secret']
        .map((kind) => [names[kind], consumers.filter((c) => c.kind === kind).length])
        .filter(([, n]) => n > 0)
        .map(([name, n]) => `${n} ${name}${n === 1 ? '' : 's'}`);
    return parts.length > 1
        ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
        : parts[0] || 'no consumer';
}
/** Evidence reads the login lacks: a warning; the rotation itself does not need them. */
function evidencePermissionNotes(record) {
    const text = missingEvidenceMessage(record.permissions ?? []);
    return text ? [{ level: 'warning', kind: 'key-usage', text, subjects: [] }] : [];
}

;// CONCATENATED MODULE: ./src/report/log.ts




/**
 * Writes one line of the job log. Values from Azure (names, containers, descriptions) could hold
 * line breaks; a line that began with '::' would be read by the runner as a workflow command.
 * Every line here starts with the action's own words and is kept on one line.
 */
function line(text) {
    core/* info */.pq(text.replace(/[\r\n\u2028\u2029]+/g, ' '));
}
/** The job log's account of discovery: names, types, and which key each consumer holds. */
function logInventory(inventory) {
    line(`Storage account ${inventory.account.ref.name}: ${inventory.account.id}`);
    for (const key of inventory.keys) {
        line(`  ${key.name} created ${key.createdOn?.toISOString() ?? 'at an unknown time'}`);
    }
    for (const ws of inventory.workspaces) {
        if (ws.kind === 'key-vault') {
            line(`Key vault ${ws.ref.name} (${ws.ref.resourceGroup}): ${ws.consumers.length} secret(s) hold a key of this account, ${ws.otherConsumers} tagged or named hold none`);
            for (const c of ws.consumers) {
                const held = c.holds === 'unknown' ? 'could not be read' : `${c.type}, holds ${c.holds}`;
                const remarks = c.remarks ? ` (${c.remarks.join('; ')})` : '';
                line(`  secret ${c.name}: ${held}${remarks}`);
            }
            continue;
        }
        const own = ws.usesAccountAsDefault
            ? `default storage is this account, its own copy holds ${ws.holds ?? 'no key'}`
            : 'default storage is another account';
        const scope = ws.inScope ? '' : ' [outside the managed workspaces: observed only]';
        line(`Workspace ${ws.ref.name} (${ws.ref.resourceGroup})${scope}: ${own}; ${ws.consumers.length} consumer(s) on this account, ${ws.otherConsumers} elsewhere`);
        for (const c of ws.consumers) {
            const key = c.auth === 'Sas' ? `, SAS token ${(0,plan_sas/* describeSas */.Fk)(c)}` : c.holds ? `, holds ${c.holds}` : '';
            line(`  ${c.kind} ${c.name}: ${c.type} ${c.target}, ${c.credentials} credentials${key}`);
        }
    }
    for (const u of (0,discover_inventory/* deniedListings */.D8)(inventory))
        line(`Could not inspect ${u.name}: ${u.reason}`);
    for (const u of (0,discover_inventory/* unreadHolders */.Fo)(inventory)) {
        line(`Could not read ${u.name}, so it may hold either key: ${u.reason}`);
    }
}
function logPlan(plan) {
    line(plan.decision);
    if (plan.steps.length === 0)
        line('Nothing to do: every consumer is on the key in use.');
    plan.steps.forEach((step, i) => line(`${i + 1}. ${describeStep(step)} — ${step.reason}`));
    if (!plan.settleFirst) {
        line(`Every AccountKey consumer ends on ${plan.activeKey}; each workspace's own copy is whatever resyncKeys gives it, read back after each resync.`);
    }
}
function logStep(result) {
    const error = result.error ? ` (${result.error})` : '';
    line(`${describeStep(result.step)}: ${result.status}${error}`);
}

// EXTERNAL MODULE: ./src/consumers/key-vault/adapter.ts
var adapter = __webpack_require__(3699);
;// CONCATENATED MODULE: ./src/execute/vault-permissions.ts



/**
 * A move reads the secret's current version, writes a new one and reads it back: getSecret and
 * setSecret (RBAC), or the secret permissions get and set (access policy). Reads the run made
 * before the plan are not asked again: discovery has done them, and what it could not read is named
 * and holds back the key it may hold (docs/key-vault.md).
 */
const MOVE_DATA_ACTIONS = [adapter/* KEY_VAULT_ACTIONS */.H_.readSecret, adapter/* KEY_VAULT_ACTIONS */.H_.write];
const MOVE_POLICY_PERMISSIONS = ['get', 'set'];
/** The managed vaults, with the secrets of each that the plan writes (only those it writes). */
function vaultWrites(inventory, plan) {
    const { consumers: moved } = writeTargets(plan);
    return (0,discover_inventory/* managedWorkspaces */.wn)(inventory)
        .filter((ws) => !!ws.vault)
        .map((ws) => ({
        ws,
        secrets: ws.consumers.filter((c) => moved.has((0,discover_inventory/* consumerId */.Ki)(c))).map((c) => c.name),
    }))
        .filter((w) => w.secrets.length > 0);
}
/**
 * RBAC vaults: the data actions each written secret needs, at the secret's own scope. The
 * permissions API answers there with the login's assignments on the secret, the vault and above.
 */
function secretDataPermissions(inventory, plan) {
    return vaultWrites(inventory, plan)
        .filter(({ ws }) => ws.vault.rbacAuthorization)
        .flatMap(({ ws, secrets }) => secrets.map((secret) => ({
        scope: `${ws.id}/secrets/${secret}`,
        name: `${ws.ref.name}/${secret}`,
        actions: [],
        dataActions: MOVE_DATA_ACTIONS,
        grant: `On key vault '${ws.ref.name}', assign the role in role/aml-storage-key-rotation-key-vault.json (or the built-in Key Vault Secrets Officer) to the login, on the vault or on each secret it re-keys.`,
    })));
}
/** Access-policy vaults whose secrets the plan writes. */
function policyRequirements(inventory, plan) {
    return vaultWrites(inventory, plan)
        .filter(({ ws }) => !ws.vault.rbacAuthorization)
        .map(({ ws }) => ({
        scope: ws.id,
        name: ws.ref.name,
        permissions: MOVE_POLICY_PERMISSIONS,
        policies: ws.vault.accessPolicies,
    }));
}
/**
 * The secret permissions the vault's access policies give the login: the union of the entries that
 * name its object ID (in its tenant; an entry for the login through an application only when it is
 * that application), `all` granting every one. No entry naming the login is no answer: an entry
 * for a group it is in may grant them, which the run cannot see.
 */
function checkAccessPolicy(required, principal) {
    const check = (permission, allowed) => ({
        scope: required.scope,
        name: required.name,
        action: `secrets ${permission} (access policy)`,
        ...(allowed === undefined ? {} : { allowed }),
        grant: policyGrant(required.name, principal),
    });
    const unknown = (warning) => ({
        checks: required.permissions.map((p) => check(p)),
        warning,
    });
    if (!principal) {
        return unknown(`The login's object ID is not in its token: the access policies of key vault '${required.name}' were not checked. A move they refuse fails, and no key is regenerated after it.`);
    }
    const entries = required.policies.filter((p) => namesLogin(p, principal));
    if (entries.length === 0) {
        return unknown(`No access policy of key vault '${required.name}' names the login (object ID ${principal.objectId}): a group it is in may grant the secret permissions ${required.permissions.join(' and ')}, which the run cannot see. A move they refuse fails, and no key is regenerated after it. To be sure: ${policyCommand(required.name, principal.objectId)}.`);
    }
    const granted = new Set(entries.flatMap((p) => p.secrets.map((s) => s.toLowerCase())));
    return {
        checks: required.permissions.map((p) => check(p, granted.has('all') || granted.has(p))),
    };
}
function namesLogin(policy, principal) {
    const same = (a, b) => !!a && !!b && a.toLowerCase() === b.toLowerCase();
    if (!same(policy.objectId, principal.objectId))
        return false;
    if (policy.tenantId && principal.tenantId && !same(policy.tenantId, principal.tenantId))
        return false;
    return !policy.applicationId || same(policy.applicationId, principal.applicationId);
}
const policyCommand = (vault, objectId) => `az keyvault set-policy --name ${vault} --object-id ${objectId} --secret-permissions get list set`;
function policyGrant(vault, principal) {
    return `On key vault '${vault}' (access policies), give the login the secret permissions get, list and set: ${policyCommand(vault, principal?.objectId ?? '<object ID of the login>')} (it replaces that entry's secret permissions: add any others it should keep).`;
}

;// CONCATENATED MODULE: ./src/execute/preflight.ts






class PreflightError extends Error {
    name = 'PreflightError';
}
/**
 * Asks Azure what the login may do on the account, each managed workspace and the vault secrets
 * the plan writes, against what the plan needs, before the first write. The caller decides what a
 * missing action means.
 */
async function preflight(azure, inventory, plan, refreshApps = []) {
    const required = [
        ...requiredPermissions(inventory, plan),
        ...secretDataPermissions(inventory, plan),
        ...appRefreshPermissions(refreshApps, plan),
    ];
    const policies = policyRequirements(inventory, plan);
    const [checks, principal] = await Promise.all([
        (0,concurrency/* mapLimit */.sf)(required, 4, async (scope) => {
            try {
                return checkPermissions(scope, await azure.permissions(scope.scope));
            }
            catch (error) {
                core/* warning */.$e(`Could not read the permissions on ${scope.name}: ${(0,secrets/* describeError */.Uc)(error)}`);
                return [...scope.actions, ...(scope.dataActions ?? [])].map((action) => ({
                    scope: scope.scope,
                    name: scope.name,
                    action,
                }));
            }
        }),
        policies.length > 0 ? signedIn(azure) : undefined,
    ]);
    const flat = checks.flat();
    for (const policy of policies) {
        const checked = checkAccessPolicy(policy, principal);
        if (checked.warning)
            core/* warning */.$e(checked.warning);
        flat.push(...checked.checks);
    }
    for (const c of flat) {
        const state = c.allowed === undefined ? 'unknown' : c.allowed ? 'allowed' : 'MISSING';
        core/* info */.pq(`${state.padEnd(8)} ${c.action} on ${c.name}`);
    }
    const refreshMissing = flat.filter((c) => c.bestEffort && c.allowed === false);
    for (const app of new Set(refreshMissing.map((c) => c.name))) {
        const actions = refreshMissing.filter((c) => c.name === app).map((c) => c.action);
        core/* warning */.$e(`App ${app}: the login lacks ${actions.join(', ')}, so its Key Vault references may not be refreshed; it reads the new secret versions within 24 hours, inside the grace period.`);
    }
    return flat;
}
/** Who the login is, for access policies; undefined (the policies go unchecked) if unknown. */
async function signedIn(azure) {
    try {
        return await azure.signedInPrincipal();
    }
    catch (error) {
        core/* warning */.$e(`Could not tell who the login is from its token: ${(0,secrets/* describeError */.Uc)(error)}`);
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/key-usage/summary.ts


/** Callers shown per key value; the JSON report has every caller the query returned. */
const SHOWN_CALLERS = 10;
const day = (iso) => iso?.slice(0, 16).replace('T', ' ') ?? '-';
/** The keys table's cell: what the logs tell of one key in the window. */
function keyUsageCell(usage, key) {
    if (!usage)
        return '-';
    if (usage.status === 'no-logs')
        return 'no logs';
    if (usage.status === 'failed')
        return 'unknown (the query failed)';
    const evidence = usage.keys.find((k) => k.key === key);
    if (!evidence)
        return '-';
    const { current, older } = evidence;
    const now = current.requests === 0
        ? `no request in ${usage.lookbackDays} days`
        : `${current.requests} requests by ${current.callers} caller(s), last ${day(current.lastSeen)}`;
    return older
        ? `${now}; an older value: ${older.requests} requests, last ${day(older.lastSeen)}`
        : now;
}
/** "Who uses each key": the busiest callers of each key value, and what the logs cannot tell. */
function keyUsageSection(report) {
    const usage = report.keyUsage;
    if (!usage)
        return '';
    const title = `Who uses each key (storage logs, last ${usage.lookbackDays} days)`;
    if (usage.status === 'no-logs' && usage.metrics) {
        const { metrics } = usage;
        return (heading(title) +
            paragraph(summary_html_escape(usage.reason)) +
            (metrics.status === 'read'
                ? table(['Authentication', 'Requests (both keys)'], transactionRows(metrics.byAuthentication))
                : '') +
            paragraph(summary_html_escape(describeTransactions(metrics, usage.lookbackDays))));
    }
    if (usage.status !== 'found')
        return heading(title) + paragraph(summary_html_escape(usage.reason));
    const rows = [];
    const folded = [];
    const add = (key, value, use) => {
        for (const [i, caller] of (use?.top ?? []).entries()) {
            (i < SHOWN_CALLERS ? rows : folded).push(callerRow(key, value, caller));
        }
    };
    for (const k of usage.keys) {
        add(k.key, 'current', k.current);
        add(k.key, 'older value', k.older);
    }
    add('none named', 'refused', usage.refusedUnattributed);
    const headers = [
        'Key',
        'Value',
        'Caller IP',
        'User agent',
        'Auth',
        'Requests',
        'Refused',
        'Services',
        'Operations',
        'Last seen',
        'Note',
    ];
    const notes = [
        `Services whose requests reach the logs: ${usage.services.join(', ')}${usage.partial.length > 0 ? ` (only some request categories for ${usage.partial.join(', ')})` : ''}.`,
        'Requests of the managed workspaces (their compute, their datastores) are among these: the logs cannot tell them from other callers with the same key.',
    ];
    return (heading(title) +
        (rows.length > 0
            ? table(headers, rows)
            : paragraph('No request signed with an account key or a SAS in the window.')) +
        (folded.length > 0 ? details(`${folded.length} more callers`, table(headers, folded)) : '') +
        paragraph(summary_html_escape(notes.join(' '))));
}
function callerRow(key, value, c) {
    return [
        key,
        value,
        c.ip,
        c.userAgent,
        c.authType,
        c.requests,
        c.refused,
        c.services.join(', '),
        c.operations.slice(0, 5).join(', ') + (c.operations.length > 5 ? ', …' : ''),
        day(c.lastSeen),
        c.broken ? 'already broken: not seen on a current key since' : '',
    ];
}

;// CONCATENATED MODULE: ./src/report/summary.ts






/** Rows shown before the rest of a table is folded; beyond MAX_ROWS they are in the JSON report only. */
const SHOWN_ROWS = 30;
const MAX_ROWS = 500;
const ICONS = {
    rotated: '✅',
    'not-due': '✅',
    drained: '⏳',
    'dry-run': '🔎',
    blocked: '⛔',
    'blocked-by-sas': '⏸️',
    failed: '❌',
    cancelled: '🛑',
};
/** The job summary as HTML: the outcome first, what needs a person next, then the detail. */
function renderSummary(report) {
    return [
        `<h2>${ICONS[report.outcome]} ${summary_html_escape(report.account.name)}: ${summary_html_escape(report.headline)}</h2>\n`,
        context(report),
        attention(report),
        keys(report),
        keyUsageSection(report),
        consumers(report),
        workspaces(report),
        appRefreshSection(report),
        outside(report),
        unchecked(report),
        steps(report),
        timings(report),
        permissions(report),
        notices(report),
    ].join('');
}
async function writeSummary(report) {
    await core/* summary */.z.addRaw(renderSummary(report), true).write();
}
function context(report) {
    const account = summary_html_link(report.account.name, report.account.link).html;
    const where = report.account.resourceGroup
        ? ` (resource group ${summary_html_escape(report.account.resourceGroup)})`
        : '';
    const lines = [`<b>Account</b>: ${account}${where}`];
    if (report.keyName) {
        lines.push(`<b>Mode</b>: ${report.mode === 'dry-run' ? 'dry run, nothing was changed' : 'rotation'}; key-name ${summary_html_escape(report.keyName)}; age limit: ${summary_html_escape(report.ageLimit?.text ?? 'none')}`);
    }
    if (report.decision)
        lines.push(`<b>Decision</b>: ${summary_html_escape(report.decision)}`);
    return paragraph(lines.join('<br>'));
}
function attention(report) {
    if (report.attention.length === 0)
        return '';
    const shown = report.attention.slice(0, SHOWN_ROWS);
    const rest = report.attention.slice(SHOWN_ROWS);
    return (heading('Needs attention') +
        items(shown) +
        (rest.length > 0 ? details(`${rest.length} more`, items(rest)) : ''));
}
function keys(report) {
    if (report.keys.length === 0)
        return '';
    const state = (k) => k ? `${k.ageDays ?? 'unknown'} days (${k.createdOn ?? 'created at an unknown time'})` : '-';
    return (heading('Keys') +
        table(['Key', 'Before', 'After', 'Due', 'Held by (managed)', 'Used (storage logs)', 'Plan'], report.keys.map((k) => [
            k.name,
            state(k.before),
            k.after ? state(k.after) : report.mode === 'dry-run' ? 'dry run' : '-',
            k.due ? `due under ${report.ageLimit?.text}` : report.ageLimit ? 'no' : '-',
            k.heldBy,
            keyUsageCell(report.keyUsage, k.name),
            [
                report.regenerate.includes(k.name) ? 'regenerate' : '',
                k.name === report.activeKey ? 'every AccountKey consumer ends on it' : '',
            ]
                .filter(Boolean)
                .join('; ') || '-',
        ])));
}
/** A row that needs a look: it failed, breaks, was already broken, or holds a SAS token at risk. */
function isProblem(c) {
    return (!!c.error ||
        c.plannedAction.startsWith('BREAKS') ||
        c.keyHeld === 'stale' ||
        /FAILED|NOT UPDATED|NOT RENEWED|BROKEN/.test(c.result) ||
        c.sas?.signedBy === 'unknown' ||
        c.sas?.expired === true ||
        !!c.remarks);
}
/** How the consumers table names a kind. */
const KINDS = {
    datastore: 'datastore',
    connection: 'connection',
    'key-vault-secret': 'secret',
};
/** "workspace ws-a", "key vault kv-1": where a consumer lives. */
const whereOf = (c) => `${c.where.kind === 'key-vault' ? 'key vault' : 'workspace'} ${c.where.name}`;
/** "2026-12-07 15:27 UTC". */
const utc = (iso) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
/** The result, and for a secret the version written and when the key it leaves may go. */
function resultOf(c) {
    const parts = [c.error ? `${c.result}: ${c.error}` : c.result];
    const written = c.secret?.newVersion;
    if (written) {
        const created = written.createdOn ? `created ${utc(written.createdOn)}` : '';
        parts.push(['new version', written.version, created && `(${created})`].filter(Boolean).join(' '));
    }
    const leaves = c.secret?.leaves;
    if (leaves) {
        parts.push(`${leaves.key} may be regenerated ${leaves.until ? `from ${utc(leaves.until)}` : 'once the run can tell when'} (grace period)`);
    }
    return parts.join('; ');
}
function consumers(report) {
    const managed = report.consumers.filter((c) => c.inScope);
    if (report.keys.length === 0)
        return '';
    const ordered = [...managed.filter(isProblem), ...managed.filter((c) => !isProblem(c))];
    const headers = ['Where', 'Kind', 'Name', 'Type', 'Container / target', 'Credentials'];
    const rowOf = (c) => [
        whereOf(c),
        KINDS[c.kind],
        summary_html_link(`${c.name}${c.isDefault ? ' (default)' : ''}`, c.link),
        c.type,
        c.target,
        c.credentials,
        (c.sas ? c.sas.text : c.keyHeld || '-') + (c.remarks ? ` (${c.remarks.join('; ')})` : ''),
        c.plannedAction,
        resultOf(c),
    ];
    const all = [...headers, 'Key held / SAS signed by', 'Planned action', 'Result'];
    const shown = ordered.slice(0, SHOWN_ROWS);
    const folded = ordered.slice(SHOWN_ROWS, MAX_ROWS);
    const counts = countBy(ordered.slice(SHOWN_ROWS), (c) => c.result.split(':')[0]);
    return (heading('Consumers of the account') +
        table(all, shown.map(rowOf)) +
        (folded.length > 0
            ? details(`${ordered.length - SHOWN_ROWS} more (${counts})`, table(all, folded.map(rowOf)))
            : '') +
        (ordered.length > MAX_ROWS
            ? paragraph(`${ordered.length - MAX_ROWS} more are in the JSON report.`)
            : '') +
        paragraph(`${report.otherConsumers} datastore(s) and connection(s) on other accounts or services were not affected.` +
            (report.otherSecrets
                ? ` ${report.otherSecrets} secret(s) tagged for the account or named in key-vaults hold none of its keys and were left alone.`
                : '')));
}
function workspaces(report) {
    const managed = report.workspaces.filter((w) => w.inScope);
    if (managed.length === 0)
        return '';
    const dryRun = report.mode === 'dry-run';
    return (heading('Workspaces') +
        table(['Workspace', 'Default storage', 'Own copy holds', 'After the run', 'Resync', 'Invalid for'], managed.map((w) => [
            summary_html_link(w.workspace, w.link),
            w.defaultStorage ? 'this account' : 'another account',
            w.keyHeld,
            w.keyAfter ?? (dryRun ? '-' : w.keyHeld),
            w.error ? `${w.resync}: ${w.error}` : w.resync,
            invalidFor(w, dryRun),
        ])));
}
function outside(report) {
    const elsewhere = report.workspaces.filter((w) => !w.inScope);
    const denied = report.uninspected.filter((u) => u.denied);
    if (elsewhere.length === 0 && denied.length === 0)
        return '';
    const rows = [
        ...elsewhere
            .filter((w) => w.defaultStorage)
            .map((w) => [
            summary_html_link(w.workspace, w.link),
            'own copy (default storage)',
            '-',
            w.keyHeld ?? 'no key',
            '-',
        ]),
        ...report.consumers
            .filter((c) => !c.inScope)
            .map((c) => [
            c.workspace ?? c.where.name,
            KINDS[c.kind],
            c.name,
            c.sas ? c.sas.text : c.keyHeld || c.credentials,
            c.plannedAction,
        ]),
    ];
    return (heading('Outside the managed workspaces (observed, never changed)') +
        (rows.length > 0 ? table(['Workspace', 'Kind', 'Name', 'Holds', 'Effect'], rows) : '') +
        (denied.length > 0
            ? paragraph('Outside what this run could check (the login may not list them):') +
                items(denied.map((u) => `${u.name}: ${u.reason}`))
            : ''));
}
/** What could not be read, in a managed Key Vault or outside the managed workspaces. */
function unchecked(report) {
    if (report.unchecked.length === 0)
        return '';
    return (heading('Could not be read (each may hold either key)') +
        items(report.unchecked.map((u) => `${u.name}: ${u.reason}`)));
}
function steps(report) {
    if (!report.decision)
        return '';
    const title = report.mode === 'dry-run' ? 'Plan' : 'Steps';
    if (report.steps.length === 0) {
        return heading(title) + paragraph('Nothing to do: every consumer is on the key in use.');
    }
    const lines = report.steps.map((st) => `<li>${summary_html_escape(st.text)} <i>(${summary_html_escape(st.reason)})</i> <b>${summary_html_escape(st.status)}</b>${st.error ? `: ${summary_html_escape(st.error)}` : ''}</li>`);
    const list = `<ol>${lines.join('')}</ol>\n`;
    return lines.length > 12
        ? details(`${title}: ${lines.length} steps`, list)
        : heading(title) + list;
}
function timings(report) {
    if (report.timings.length === 0)
        return '';
    const total = report.timings.reduce((sum, t) => sum + t.ms, 0);
    const parts = report.timings.map((t) => `${t.phase} ${(t.ms / 1000).toFixed(1)} s`);
    return paragraph(`<b>Timings</b>: ${summary_html_escape(parts.join(' · '))} · total ${(total / 1000).toFixed(1)} s`);
}
function permissions(report) {
    if (report.permissions.length === 0)
        return '';
    const missing = report.permissions.filter((p) => p.allowed === false && !p.evidence).length;
    const unknown = report.permissions.filter((p) => p.allowed === undefined).length;
    const unread = report.permissions.filter((p) => p.allowed === false && p.evidence).length;
    const allowed = report.permissions.length - unknown - unread;
    const title = missing
        ? `Permissions: ${missing} MISSING`
        : `Permissions: ${allowed} allowed${unknown ? `, ${unknown} could not be checked` : ''}${unread ? `, ${unread} evidence read(s) missing` : ''}`;
    return details(title, table(['Scope', 'Action', 'Allowed'], report.permissions.map((p) => [
        p.name,
        p.action,
        p.allowed === undefined
            ? 'could not check'
            : p.allowed
                ? 'yes'
                : p.evidence
                    ? 'missing (key-usage evidence only)'
                    : 'MISSING',
    ])), missing > 0);
}
/** How long the run left the workspace's own copy invalid; one stale before the run says so. */
function invalidFor(w, dryRun) {
    const during = w.invalidForMs !== undefined ? `${(w.invalidForMs / 1000).toFixed(1)} s` : '';
    if (w.keyHeld === 'stale') {
        const until = w.keyAfter && w.keyAfter !== 'stale' ? 'until its resync' : 'still';
        return dryRun ? 'already before the run' : `from before the run, ${until}`;
    }
    return during || (dryRun ? '-' : 'never');
}
function notices(report) {
    // A key-usage notice says what its own section above already says.
    const shownAbove = (n) => n.kind === 'key-usage' && !!report.keyUsage;
    const notes = report.notes.filter((n) => n.level === 'notice' && !shownAbove(n));
    if (notes.length === 0)
        return '';
    return heading('Notes') + items(notes.map((n) => withSubjects(n, n.subjects.length)));
}
function countBy(rows, key) {
    const counts = new Map();
    for (const r of rows)
        counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

;// CONCATENATED MODULE: ./src/report/publish.ts









/**
 * Tells the result: the JSON report, the outputs, the job summary and the annotations. A report or
 * summary that cannot be written is a warning: the exit status reflects the rotation alone.
 */
async function publish(report) {
    const reportPath = await bestEffort('write the JSON report', () => writeReportFile(report));
    setOutputs(report, reportPath ?? '');
    annotate(report);
    await bestEffort('write the job summary', () => writeSummary(report));
}
/** Writes the JSON report under RUNNER_TEMP, readable by the runner's user only. */
async function writeReportFile(report) {
    const dir = (0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'aml-storage-key-rotation');
    await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
    const stamp = report.generatedAt.replace(/[:.]/g, '-');
    const path = (0,external_node_path_.join)(dir, `report-${report.account.name}-${stamp}.json`);
    await (0,promises_.writeFile)(path, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
    return path;
}
function setOutputs(report, reportPath) {
    const r = report.result;
    core/* setOutput */.uH('result', report.outcome);
    core/* setOutput */.uH('rotated', String(r.rotated));
    core/* setOutput */.uH('regenerated-keys', r.regeneratedKeys.join(','));
    core/* setOutput */.uH('active-key', report.allOnActiveKey ? (report.activeKey ?? '') : '');
    core/* setOutput */.uH('datastores-updated', String(r.datastoresUpdated));
    core/* setOutput */.uH('datastores-failed', String(r.datastoresFailed));
    core/* setOutput */.uH('connections-updated', String(r.connectionsUpdated));
    core/* setOutput */.uH('connections-failed', String(r.connectionsFailed));
    core/* setOutput */.uH('secrets-updated', String(r.secretsUpdated));
    core/* setOutput */.uH('secrets-failed', String(r.secretsFailed));
    core/* setOutput */.uH('report-path', reportPath);
}
/**
 * GitHub shows ten errors and ten warnings of a step: the conclusion and the rerun instruction come
 * first, then one annotation per kind of problem, with its count and the first names.
 */
function annotate(report) {
    if (['failed', 'blocked', 'cancelled'].includes(report.outcome)) {
        core/* setFailed */.C1(conclusion(report));
    }
    const named = (c) => `${describeRow(c)}: ${c.error}`;
    const failed = report.consumers.filter((c) => c.error && c.result !== UNANSWERED);
    if (failed.length > 0) {
        core/* error */.z3(`${failed.length} consumer(s) were not updated: ${list(failed.map(named))}`);
    }
    const unknown = report.consumers.filter((c) => c.result === UNANSWERED);
    if (unknown.length > 0) {
        core/* error */.z3(`${unknown.length} consumer(s) may or may not have been updated: ${list(unknown.map(named))}`);
    }
    for (const step of report.steps.filter((s) => s.error && !s.text.startsWith('Re-key'))) {
        core/* error */.z3(`${step.text}: ${step.error}`);
    }
    if (report.mode === 'dry-run' && report.refused) {
        core/* warning */.$e(`A rotation would stop before its first write: ${report.refused}`);
    }
    if (report.mode === 'dry-run' && report.missingPermissions) {
        core/* warning */.$e(`A rotation would fail: ${report.missingPermissions}`);
    }
    for (const note of report.notes) {
        if (note.level === 'warning')
            core/* warning */.$e(withSubjects(note));
        else
            core/* notice */.lm(withSubjects(note));
    }
}
function conclusion(report) {
    if (report.failure)
        return report.failure;
    const r = report.result;
    const what = (r.stopped && (0,failure/* sentence */.em)(r.stopped)) ??
        `${r.datastoresFailed + r.connectionsFailed + r.secretsFailed} consumer(s) were not updated; ${r.datastoresUpdated + r.connectionsUpdated + r.secretsUpdated} were.`;
    return [what, r.rerun].filter(Boolean).join(' ');
}
/** Runs one reporting task; its failure becomes a warning instead of the run's failure. */
async function bestEffort(what, task) {
    try {
        return await task();
    }
    catch (error) {
        core/* warning */.$e(`Could not ${what}: ${(0,failure/* sentence */.em)((0,secrets/* describeError */.Uc)(error))} The run's result does not depend on it.`);
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/main.ts





















/** The procedure: inputs → discover → plan → preflight → execute → report. Every run reports. */
async function run() {
    // The inventory mode and the GitHub client (notify: issue) are loaded only by the runs that use
    // them: a rotation's start is node compiling the bundle, and it compiles only what it imports.
    if ((0,inputs_inputs/* requestedMode */.mS)() === 'inventory')
        return (await __webpack_require__.e(/* import() */ 772).then(__webpack_require__.bind(__webpack_require__, 3772))).runInventory();
    const record = {
        accountInput: (0,input_secrets/* accountInputForReport */.P)(core/* getInput */.V4('storage-account')),
        timings: [],
    };
    const started = Date.now();
    const cancel = watchForCancel();
    let live;
    const work = rotation(record, cancel.signal, (now) => (live = now)).catch((error) => {
        record.failure = {
            message: (0,failure/* failureMessage */.oh)(error, record.inputs),
            beforeAnyWrite: (0,failure/* beforeAnyWrite */.tN)(error),
            refused: error instanceof failure/* RefusedError */.fk,
        };
    });
    const ended = await cancel.settle(work);
    const cutShort = ended ? undefined : { live, started };
    const told = cancel.by ? cancelledRecord(record, cancel.by, cutShort) : record;
    const report = buildReport(told, new Date());
    await publish(report);
    if (record.inputs?.notify === 'issue')
        await cancel.within(NOTIFY_MS, notifyThroughIssue(record.inputs, report));
    cancel.end();
}
/** Runs the procedure, writing down in the record what it learns and does as it goes. */
async function rotation(record, cancel, watch) {
    const inputs = (record.inputs = (0,inputs_inputs/* getInputs */.GP)());
    const azure = (0,arm/* createArmPort */.M)((0,credential/* createCredential */.GO)(inputs.login, inputs.cloud), inputs.cloud);
    const timed = phase(record);
    const inventory = await timed('Discovery', async () => {
        // The key-usage evidence needs no key value: its query runs alongside discovery, once a run.
        const accountId = (0,resource_id/* resourceId */.a)(inputs.storageAccount, ...resource_id/* STORAGE */.O3);
        const [found, logs] = await Promise.all([
            (0,discover/* discover */.k)(azure, inputs),
            // The gate needs the logs of its whole window: the query looks back at least that far.
            gatherKeyUsage(azure, accountId, Math.max(inputs.keyUsageDays, inputs.requireUnusedDays ?? 0)),
        ]);
        logInventory(found);
        return { ...found, keyUsage: keyUsageOf(logs, found.keys) };
    });
    record.inventory = inventory;
    const policy = {
        keyName: inputs.keyName,
        maxKeyAgeDays: inputs.maxKeyAgeDays,
        now: new Date(),
        allowOutsideBreakage: inputs.allowOutsideBreakage,
        allowWorkspaceOutage: inputs.allowWorkspaceOutage,
        sas: inputs.sas,
        requireUnusedDays: inputs.requireUnusedDays,
        graceMs: (inputs.gracePeriodHours ?? 0) * time/* HOUR_MS */.i,
    };
    const plan = (record.plan = plan_plan(inventory, policy));
    await core/* group */.Os(inputs.dryRun ? 'Plan (dry run: nothing is changed)' : 'Plan', async () => logPlan(plan));
    // A plan that settles the workspaces first is judged by the rotation after it.
    const rotationPlan = plan.settleFirst ? plan_plan(inventory, { ...policy, settled: true }) : plan;
    if (plan.settleFirst)
        record.plan = { ...plan, refused: rotationPlan.refused };
    if (rotationPlan.refused && !inputs.dryRun)
        throw new failure/* RefusedError */.fk(rotationPlan.refused);
    if (cancel.aborted)
        return;
    const apps = inputs.refreshApps ?? [];
    record.permissions = await timed('Permissions', () => preflight(azure, inventory, rotationPlan, apps));
    const missing = missingPermissionsMessage(record.permissions);
    if (inputs.dryRun) {
        if (apps.length > 0)
            record.appRefresh = appsNotRefreshed(apps, planMovesSecrets(rotationPlan));
        return;
    }
    if (missing)
        throw new PreflightError(missing);
    if (cancel.aborted)
        return;
    const done = await rotate(azure, inputs, inventory, plan, policy, timed, { cancel, watch });
    record.plan = done.plan;
    record.execution = done.execution;
    if (apps.length > 0 && !cancel.aborted) {
        const moved = movedSecrets(done.execution);
        record.appRefresh = await timed('App Service refresh', () => refreshApps(azure, apps, moved));
    }
}
/** Runs a phase in its own log group and records how long it took. */
function phase(record) {
    return async (name, work) => {
        const started = Date.now();
        try {
            return await core/* group */.Os(name, work);
        }
        finally {
            record.timings.push({ phase: name, ms: Date.now() - started });
        }
    };
}
/** Opens, updates or closes the account's GitHub issue; a failure here is only a warning. */
async function notifyThroughIssue(inputs, report) {
    let github;
    let target;
    try {
        const attention = attentionFromReport(report, runUrl());
        if (!attention)
            return;
        github = await Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(669)]).then(__webpack_require__.bind(__webpack_require__, 4669));
        target = github.githubTarget(inputs.githubToken);
        const sent = await github.notify(target, attention);
        core/* info */.pq(`GitHub issue: ${sent.action}${sent.issue ? ` #${sent.issue.number} (${sent.issue.url})` : ''}.`);
    }
    catch (error) {
        const reason = github ? github.describeGitHubError(error, target) : (0,secrets/* describeError */.Uc)(error);
        core/* warning */.$e(`Could not notify through a GitHub issue: ${reason} The rotation's result does not depend on it.`);
    }
}
/**
 * Executes the plan. When the workspaces must first settle on one key, that happens, then the
 * world is observed and planned again; the result tells both parts as one run.
 */
async function rotate(azure, inputs, inventory, plan, policy, timed, { cancel, watch }) {
    const options = (told) => ({
        concurrency: inputs.concurrency,
        onStep: logStep,
        resyncTimeoutMs: inputs.resyncTimeoutMinutes === undefined ? undefined : inputs.resyncTimeoutMinutes * 60_000,
        cancel,
        progress: (now) => watch(() => told(now())),
    });
    const alone = (execution) => ({ plan, execution });
    if (!plan.settleFirst) {
        return alone(await timed('Rotation', () => execute(azure, inventory, plan, options(alone))));
    }
    const settled = await timed('Settling the workspaces on one key', () => execute(azure, inventory, plan, options(alone)));
    if (settled.failed)
        return { plan, execution: settled };
    watch(() => alone(settled));
    const observed = await timed('Discovery, after the resync', async () => ({
        ...(await (0,discover/* discover */.k)(azure, inputs)),
        keyUsage: inventory.keyUsage,
    }));
    const next = plan_plan(observed, { ...policy, settled: true });
    await core/* group */.Os('Plan', async () => logPlan(next));
    if (next.refused) {
        return { plan, execution: { ...settled, stopped: next.refused, failed: true } };
    }
    // Both parts told as one run.
    const both = (execution) => ({
        plan: { ...next, steps: [...plan.steps, ...next.steps] },
        execution: { ...execution, steps: [...settled.steps, ...execution.steps] },
    });
    return both(await timed('Rotation', () => execute(azure, observed, next, options(both))));
}


/***/ }),

/***/ 9606:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BJ: () => (/* binding */ ageDays),
/* harmony export */   HK: () => (/* binding */ describeAge),
/* harmony export */   Jo: () => (/* binding */ dueKeys),
/* harmony export */   XW: () => (/* binding */ describeLimit),
/* harmony export */   ZF: () => (/* binding */ ageLimit)
/* harmony export */ });
/* unused harmony export oldestFirst */
/* harmony import */ var _util_time_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6043);

function ageDays(key, now) {
    return key.createdOn ? (now.getTime() - key.createdOn.getTime()) / _util_time_js__WEBPACK_IMPORTED_MODULE_0__/* .DAY_MS */ .s : Infinity;
}
/** The stricter of the input and the account's key expiration policy; none when neither is set. */
function ageLimit(inventory, maxKeyAgeDays) {
    const policy = inventory.account.keyExpirationDays;
    if (policy !== undefined && (maxKeyAgeDays === undefined || policy < maxKeyAgeDays)) {
        return { days: policy, source: 'key policy' };
    }
    return maxKeyAgeDays === undefined
        ? undefined
        : { days: maxKeyAgeDays, source: 'max-key-age-days' };
}
/** A key older than the limit, or of unknown age, is due: oldest (unknown first) first. */
function dueKeys(keys, limit, now) {
    return oldestFirst(keys, now)
        .filter((k) => ageDays(k, now) > limit.days)
        .map((k) => k.name);
}
function oldestFirst(keys, now) {
    return [...keys].sort((a, b) => {
        const difference = ageDays(b, now) - ageDays(a, now);
        return Number.isNaN(difference) ? 0 : difference; // both of unknown age
    });
}
/** "key1 is 120 days old", "key2's age is unknown". */
function describeAge(key, now) {
    const age = ageDays(key, now);
    return Number.isFinite(age)
        ? `${key.name} is ${Math.floor(age)} days old`
        : `${key.name}'s age is unknown`;
}
function describeLimit(limit) {
    return limit.source === 'key policy'
        ? `the account's ${limit.days}-day key expiration policy`
        : `max-key-age-days: ${limit.days}`;
}


/***/ }),

/***/ 2022:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fk: () => (/* binding */ describeSas),
/* harmony export */   H3: () => (/* binding */ SAS_CHOICES),
/* harmony export */   KC: () => (/* binding */ isLiveToken),
/* harmony export */   Nc: () => (/* binding */ toRenew),
/* harmony export */   OG: () => (/* binding */ sasBrokenInScope),
/* harmony export */   OM: () => (/* binding */ brokenSasOf),
/* harmony export */   ZM: () => (/* binding */ liveSigner),
/* harmony export */   aN: () => (/* binding */ isSas),
/* harmony export */   bW: () => (/* binding */ signsUnrenewedSas),
/* harmony export */   bv: () => (/* binding */ liveSasOf),
/* harmony export */   hW: () => (/* binding */ breaksUnknown),
/* harmony export */   lu: () => (/* binding */ outOfSasPolicy),
/* harmony export */   uU: () => (/* binding */ renewBlocker)
/* harmony export */ });
/* unused harmony exports unknownKeySigned, periodMs */
/* harmony import */ var _azure_port_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5488);
/* harmony import */ var _discover_inventory_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6563);
/* harmony import */ var _util_time_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6043);
// The planner's rules for SAS consumers, pure: which token a regeneration breaks, which one the
// run can re-issue, and why one cannot be. The planner and the notes share them.



/** The `sas` input: what a rotation does about SAS consumers whose token a regenerated key signed. */
const SAS_CHOICES = ['warn', 'skip-keys', 'renew'];
const isSas = (c) => c.auth === 'Sas';
/** A token that still works on its own terms: not expired, not refused by the account's policy. */
const isLiveToken = (sas) => !sas.expired && !sas.refusedByPolicy;
/** The key a SAS consumer's live token was signed with; undefined for any other consumer. */
function liveSigner(c) {
    if (!isSas(c) || !c.sas || !isLiveToken(c.sas))
        return undefined;
    return c.sas.signedBy === 'key1' || c.sas.signedBy === 'key2' ? c.sas.signedBy : undefined;
}
/**
 * A live token whose signer could not be told but which an account key signed (not a user
 * delegation token): only a regeneration of both keys is sure to break it.
 */
function unknownKeySigned(c) {
    if (!isSas(c))
        return false;
    const sas = c.sas;
    if (!sas)
        return true;
    return isLiveToken(sas) && sas.signedBy === 'unknown' && sas.kind !== 'user delegation';
}
/** Regenerating these keys breaks a token whose signer is unknown: both keys are regenerated. */
function breaksUnknown(c, keys) {
    return unknownKeySigned(c) && _azure_port_js__WEBPACK_IMPORTED_MODULE_0__/* .KEY_NAMES */ .V.every((k) => keys.includes(k));
}
/**
 * SAS consumers (in scope and outside) a regeneration of these keys breaks: a live token one of them
 * signed, or one whose signer is unknown when both are regenerated.
 */
function brokenSasOf(inventory, keys) {
    return (0,_discover_inventory_js__WEBPACK_IMPORTED_MODULE_1__/* .allConsumers */ .XR)(inventory).filter((c) => keys.some((k) => k === liveSigner(c)) || breaksUnknown(c, keys));
}
/** SAS consumers (in scope and outside) whose live token one of these keys signed. */
function liveSasOf(inventory, keys) {
    return (0,_discover_inventory_js__WEBPACK_IMPORTED_MODULE_1__/* .allConsumers */ .XR)(inventory).filter((c) => keys.some((k) => k === liveSigner(c)));
}
/** Why a SAS consumer's token cannot be re-issued by this run, if it cannot. */
function renewBlocker(c) {
    if (!c.inScope)
        return 'it is outside the managed workspaces';
    const sas = c.sas;
    if (!sas || sas.signedBy === 'unknown') {
        return `which key signed its token is unknown${sas?.reason ? ` (${sas.reason})` : ''}`;
    }
    if (sas.signedBy === 'user delegation')
        return 'it is a user delegation SAS';
    if (sas.expired)
        return 'its token has expired';
    return sas.refusedByPolicy;
}
/**
 * Why the account's SAS expiration policy refuses a token, when its action is Block. Azure measures
 * a token's validity from st to se, and counts a token without st as out of policy; with action Log
 * it only logs (learn.microsoft.com/azure/storage/common/sas-expiration-policy).
 */
function outOfSasPolicy(token, policy) {
    if (!policy || policy.expirationAction !== 'Block')
        return undefined;
    const period = periodMs(policy.sasExpirationPeriod);
    if (period === undefined)
        return undefined;
    const refused = `the account's SAS expiration policy (${policy.sasExpirationPeriod}, action Block) refuses it`;
    if (!token.startsOn)
        return `${refused}: it has no start time (st)`;
    if (!token.expiresOn)
        return undefined;
    const validity = token.expiresOn.getTime() - token.startsOn.getTime();
    if (validity <= period)
        return undefined;
    return `${refused}: its validity is ${days(validity)} days`;
}
/** "7.00:00:00" (days.hours:minutes:seconds, days optional) in milliseconds. */
function periodMs(text) {
    const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(text.trim());
    if (!match)
        return undefined;
    const [, d = '0', h, m, s] = match;
    return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000;
}
const days = (ms) => (ms / _util_time_js__WEBPACK_IMPORTED_MODULE_2__/* .DAY_MS */ .s).toFixed(ms < _util_time_js__WEBPACK_IMPORTED_MODULE_2__/* .DAY_MS */ .s ? 2 : 0);
/** The SAS consumers the run re-issues: in scope, live, signed by a key it regenerates, renewable. */
function toRenew(inventory, regenerate, choice) {
    if (choice !== 'renew')
        return [];
    return liveSasOf(inventory, regenerate).filter((c) => renewBlocker(c) === undefined);
}
/** The in-scope SAS consumers a regeneration of these keys breaks and the run does not renew. */
function sasBrokenInScope(inventory, regenerate, choice) {
    const renewed = new Set(toRenew(inventory, regenerate, choice));
    return brokenSasOf(inventory, regenerate).filter((c) => c.inScope && !renewed.has(c));
}
/** A key whose regeneration would break a live SAS token the run does not re-issue. */
function signsUnrenewedSas(inventory, key, choice) {
    const renewed = new Set(toRenew(inventory, [key], choice));
    return liveSasOf(inventory, [key]).some((c) => !renewed.has(c));
}
/** How a SAS consumer's token stands, in the report's words. */
function describeSas(c) {
    const sas = c.sas;
    if (!sas)
        return 'unknown: the token was not read';
    const expiry = sas.expiresOn
        ? `${sas.expired ? 'expired' : 'expires'} ${sas.expiresOn.toISOString()}`
        : sas.policy
            ? `expiry in stored access policy '${sas.policy}'`
            : 'no expiry';
    if (sas.refusedByPolicy)
        return `already broken: ${sas.refusedByPolicy}; ${expiry}`;
    switch (sas.signedBy) {
        case 'key1':
        case 'key2':
            return `signed by ${sas.signedBy}; ${expiry}`;
        case 'user delegation':
            return `user delegation (unaffected); ${expiry}`;
        case 'neither':
            return `neither key (already broken); ${expiry}`;
        default:
            return `unknown: ${sas.reason ?? 'no reason given'}; ${expiry}`;
    }
}


/***/ }),

/***/ 3304:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   em: () => (/* binding */ sentence),
/* harmony export */   fk: () => (/* binding */ RefusedError),
/* harmony export */   oh: () => (/* binding */ failureMessage),
/* harmony export */   tN: () => (/* binding */ beforeAnyWrite)
/* harmony export */ });
/* harmony import */ var _azure_credential_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8098);
/* harmony import */ var _discover_discover_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6472);
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4537);



/** A rotation the plan refuses (it would break what it must not): stopped before the first write. */
class RefusedError extends Error {
    name = 'RefusedError';
}
/** Input, login, discovery, permission and refusal errors all come before the first write. */
function beforeAnyWrite(error) {
    return (error instanceof _discover_discover_js__WEBPACK_IMPORTED_MODULE_1__/* .DiscoveryError */ .P ||
        (error instanceof Error &&
            ['InputError', 'PreflightError', 'RefusedError'].includes(error.name)));
}
/** The one message an error that ended the run is told with: whole sentences, sanitised. */
function failureMessage(error, inputs) {
    if (error instanceof Error &&
        ['InputError', 'PreflightError', 'RefusedError'].includes(error.name)) {
        return error.message;
    }
    const cause = error instanceof _discover_discover_js__WEBPACK_IMPORTED_MODULE_1__/* .DiscoveryError */ .P ? error.cause : error;
    if (inputs && isLoginError(cause)) {
        const reasons = (0,_azure_credential_js__WEBPACK_IMPORTED_MODULE_0__/* .loginFailureReasons */ .Nq)(cause)
            .map((reason) => sentence((0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .redact */ .E$)(reason)))
            .join(' ');
        return `Login failed using ${(0,_azure_credential_js__WEBPACK_IMPORTED_MODULE_0__/* .describeLogin */ .Hf)(inputs.login)}: ${reasons} ${(0,_azure_credential_js__WEBPACK_IMPORTED_MODULE_0__/* .loginHint */ .t$)(inputs.login)} Nothing was changed.`;
    }
    const where = error instanceof _discover_discover_js__WEBPACK_IMPORTED_MODULE_1__/* .DiscoveryError */ .P ? `${error.what} failed` : 'The action failed';
    const forbidden = cause?.statusCode === 403;
    const hint = forbidden
        ? ' The login lacks a permission: see the README for the role this action needs.'
        : '';
    const unchanged = error instanceof _discover_discover_js__WEBPACK_IMPORTED_MODULE_1__/* .DiscoveryError */ .P ? ' Nothing was changed.' : '';
    return `${sentence(`${where}: ${(0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .describeError */ .Uc)(cause)}`)}${hint}${unchanged}`;
}
function isLoginError(error) {
    return (error instanceof Error &&
        /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(error.name));
}
const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);


/***/ }),

/***/ 5346:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  co: () => (/* reexport */ parseSasToken),
  dD: () => (/* reexport */ reissue),
  qI: () => (/* reexport */ signedBy),
  ik: () => (/* reexport */ storageTargetFromUrl)
});

// UNUSED EXPORTS: LATEST_KNOWN_VERSION, parseSasTime, stringToSign

;// CONCATENATED MODULE: ./src/sas/token.ts
// Reading a SAS token. Pure: no I/O, no logging. The signature is kept out of everything this
// file exports; only signedBy (through readToken) ever sees it.
const USER_DELEGATION_PARAMS = ['skoid', 'sktid', 'skt', 'ske', 'sks', 'skv'];
/**
 * Parses a SAS query string, with or without its leading `?` (anything up to the first `?` is
 * dropped, so a whole URL works too). `+` stays `+`, as in the signature's base64.
 */
function parseSasToken(token) {
    return readToken(token).parsed;
}
/** For signedBy only: the parsed token, and its signature bytes or why there are none. */
function readToken(token) {
    const problems = [];
    const params = new Map();
    let signature;
    let signatureProblem;
    const query = token.trim();
    const start = query.indexOf('?');
    const pieces = (start === -1 ? query : query.slice(start + 1)).split('&');
    pieces.forEach((piece, index) => {
        if (piece === '')
            return;
        const equals = piece.indexOf('=');
        const rawName = equals === -1 ? piece : piece.slice(0, equals);
        const rawValue = equals === -1 ? '' : piece.slice(equals + 1);
        const name = decode(rawName);
        const value = decode(rawValue);
        if (name === undefined || value === undefined) {
            problems.push(`parameter ${index + 1} is not valid percent-encoding`);
            return;
        }
        if (name === 'sig') {
            if (signature !== undefined)
                signatureProblem = 'the signature (sig) appears twice';
            // A form decoder turns '+' into ' '; base64 has no spaces, so put them back.
            signature = value.replaceAll(' ', '+');
            return;
        }
        if (params.has(name)) {
            problems.push(`${nameForMessage(name)} appears twice`);
            return;
        }
        params.set(name, value);
    });
    if (signature === undefined || signature === '') {
        signatureProblem ??= 'there is no signature (sig)';
    }
    else if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) {
        signatureProblem ??= 'the signature (sig) is not base64';
    }
    const st = params.get('st');
    const se = params.get('se');
    const startsOn = st === undefined ? undefined : parseSasTime(st);
    const expiresOn = se === undefined ? undefined : parseSasTime(se);
    if (st !== undefined && startsOn === undefined) {
        problems.push('the start time (st) is unreadable');
    }
    if (se !== undefined && expiresOn === undefined) {
        problems.push('the expiry (se) is unreadable');
    }
    const parsed = {
        kind: kindOf(params),
        params,
        version: params.get('sv'),
        permissions: params.get('sp'),
        resource: params.get('sr'),
        services: params.get('ss'),
        resourceTypes: params.get('srt'),
        identifier: params.get('si'),
        encryptionScope: params.get('ses'),
        startsOn,
        expiresOn,
        hasSignature: signature !== undefined && signature !== '',
        problems,
    };
    if (signatureProblem === undefined && signature !== undefined) {
        return { parsed, signature: Buffer.from(signature, 'base64') };
    }
    return { parsed, signatureProblem: signatureProblem ?? 'there is no signature (sig)' };
}
function kindOf(params) {
    if (USER_DELEGATION_PARAMS.some((name) => params.has(name)))
        return 'user delegation';
    if (params.has('sr'))
        return 'service';
    if (params.has('ss') || params.has('srt'))
        return 'account';
    return 'other';
}
function decode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return undefined;
    }
}
/** Parameter names are quoted in messages only when they look like one. */
function nameForMessage(name) {
    return /^[a-z]{1,8}$/i.test(name) ? `the parameter ${name}` : 'a parameter';
}
const SAS_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/**
 * Reads a SAS time the way the service accepts it: ISO 8601 as a date (`2030-01-31`), to the
 * minute (`2030-01-31T12:00Z`), to the second, or with a fraction (`…:00.1234567Z`). No zone
 * means UTC.
 */
function parseSasTime(text) {
    const match = SAS_TIME.exec(text);
    if (!match)
        return undefined;
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(s);
    const utc = Date.UTC(year, month - 1, day, hour, minute, second);
    const check = new Date(utc);
    if (check.getUTCFullYear() !== year ||
        check.getUTCMonth() !== month - 1 ||
        check.getUTCDate() !== day ||
        hour > 23 ||
        minute > 59 ||
        second > 59) {
        return undefined;
    }
    const millis = fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
    let offsetMinutes = 0;
    if (zone !== 'Z') {
        const digits = zone.replace(':', '');
        const sign = digits.startsWith('-') ? -1 : 1;
        offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
    return new Date(utc + millis - offsetMinutes * 60_000);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/sas/string-to-sign.ts
/**
 * The newest signed version whose layout this module has checked (@azure/storage-blob 12.34.0's
 * default). Key-signed layouts have not changed since 2020-12-06.
 */
const LATEST_KNOWN_VERSION = '2026-10-06';
const VERSION = /^\d{4}-\d{2}-\d{2}$/;
const BLOB_RESOURCES = ['c', 'b', 'bs', 'bv', 'd'];
const FILE_RESOURCES = ['s', 'f'];
const RESPONSE_HEADERS = ['rscc', 'rscd', 'rsce', 'rscl', 'rsct'];
/**
 * Rebuilds the string-to-sign of a key-signed SAS (service SAS for blob or file, or account SAS)
 * from the parsed token, the account name and, for a service SAS, the resource it is used on.
 */
function stringToSign(parsed, account, resource) {
    const [problem] = parsed.problems;
    if (problem !== undefined)
        return fail(problem);
    if (parsed.kind === 'user delegation') {
        return fail('a user delegation SAS is signed with a user delegation key, not an account key');
    }
    if (parsed.kind === 'other') {
        return fail('neither a service SAS (sr) nor an account SAS (ss, srt): not a blob or file SAS');
    }
    const version = parsed.version;
    if (version === undefined) {
        return fail('there is no signed version (sv): a SAS older than 2012-02-12 is not supported');
    }
    if (!VERSION.test(version))
        return fail('the signed version (sv) is not a date');
    if (account === '')
        return fail('the account name is needed');
    const field = (name) => parsed.params.get(name) ?? '';
    const newerThanKnown = version > LATEST_KNOWN_VERSION;
    const done = (fields, layout) => ({
        ok: true,
        value: fields.join('\n'),
        layout,
        newerThanKnown,
    });
    if (parsed.kind === 'account') {
        if (version < '2015-04-05')
            return fail(`an account SAS needs version 2015-04-05 or later`);
        const common = ['sp', 'ss', 'srt', 'st', 'se', 'sip', 'spr', 'sv'].map(field);
        // Both layouts end with a newline: the empty string after the last '\n'.
        return version >= '2020-12-06'
            ? done([account, ...common, field('ses'), ''], 'account SAS, 2020-12-06 layout')
            : done([account, ...common, ''], 'account SAS, 2015-04-05 layout');
    }
    const sr = parsed.resource ?? '';
    const path = canonicalPath(sr, version, account, resource);
    if (!path.ok)
        return path;
    const head = [field('sp'), field('st'), field('se'), path.value, field('si')];
    const headers = RESPONSE_HEADERS.map(field);
    const service = FILE_RESOURCES.includes(sr) ? 'file' : 'blob';
    if (service === 'file') {
        if (version >= '2015-04-05') {
            return done([...head, field('sip'), field('spr'), version, ...headers], 'file service SAS, 2015-04-05 layout');
        }
        return done([...head, version, ...headers], 'file service SAS, 2015-02-21 layout');
    }
    if (version >= '2018-11-09') {
        const blob = resource?.service === 'blob' ? resource : undefined;
        const timestamp = sr === 'bs' ? (blob?.snapshot ?? '') : sr === 'bv' ? (blob?.versionId ?? '') : '';
        const middle = [field('sip'), field('spr'), version, sr, timestamp];
        return version >= '2020-12-06'
            ? done([...head, ...middle, field('ses'), ...headers], 'blob service SAS, 2020-12-06 layout')
            : done([...head, ...middle, ...headers], 'blob service SAS, 2018-11-09 layout');
    }
    if (version >= '2015-04-05') {
        return done([...head, field('sip'), field('spr'), version, ...headers], 'blob service SAS, 2015-04-05 layout');
    }
    if (version >= '2013-08-15') {
        return done([...head, version, ...headers], 'blob service SAS, 2013-08-15 layout');
    }
    return done([...head, version], 'blob service SAS, 2012-02-12 layout');
}
/** The canonicalized resource: `/blob/<account>/<container>[/<blob>]`, `/file/…`, or before 2015-02-21 `/<account>/…`. */
function canonicalPath(sr, version, account, resource) {
    const value = (text) => ({ ok: true, value: text, layout: '', newerThanKnown: false });
    if (FILE_RESOURCES.includes(sr)) {
        if (version < '2015-02-21')
            return fail('a file SAS needs version 2015-02-21 or later');
        if (resource?.service !== 'file') {
            return fail(`the token is for a file share (sr=${sr}): the share it is used on is needed`);
        }
        const share = trimSlashes(resource.share);
        if (share === '')
            return fail('the share name is empty');
        if (sr === 's')
            return value(`/file/${account}/${share}`);
        const file = trimLeadingSlashes(resource.file ?? '');
        if (file === '')
            return fail('the token is for a file (sr=f): the file path is needed');
        return value(`/file/${account}/${share}/${file}`);
    }
    if (!BLOB_RESOURCES.includes(sr)) {
        return fail('the signed resource (sr) is not one of c, b, bs, bv, d, s, f');
    }
    if (version < '2012-02-12')
        return fail('a service SAS older than 2012-02-12 is not supported');
    if ((sr === 'bs' || sr === 'bv') && version < '2018-11-09') {
        return fail(`sr=${sr} needs version 2018-11-09 or later`);
    }
    if (sr === 'd' && version < '2020-02-10')
        return fail('sr=d needs version 2020-02-10 or later');
    if (resource?.service !== 'blob') {
        return fail(`the token is for blob storage (sr=${sr}): the container it is used on is needed`);
    }
    const container = trimSlashes(resource.container);
    if (container === '')
        return fail('the container name is empty');
    const prefix = version >= '2015-02-21' ? `/blob/${account}` : `/${account}`;
    if (sr === 'c')
        return value(`${prefix}/${container}`);
    const blob = trimLeadingSlashes(resource.blob ?? '');
    const what = sr === 'd' ? 'directory' : 'blob';
    if (blob === '')
        return fail(`the token is for a ${what} (sr=${sr}): its path is needed`);
    if (sr === 'bs' && !resource.snapshot) {
        return fail('the token is for a blob snapshot (sr=bs): the snapshot time is needed');
    }
    if (sr === 'bv' && !resource.versionId) {
        return fail('the token is for a blob version (sr=bv): the version ID is needed');
    }
    return value(`${prefix}/${container}/${blob}`);
}
function fail(reason) {
    return { ok: false, reason };
}
function trimLeadingSlashes(text) {
    return text.replace(/^\/+/, '');
}
function trimSlashes(text) {
    return text.replace(/^\/+|\/+$/g, '');
}

;// CONCATENATED MODULE: ./src/sas/signed-by.ts
// Which account key signed a SAS token: recompute the HMAC-SHA256 under key1 and key2 and compare
// with the token's signature. Pure; never returns or logs the token or the signature.



/**
 * Tells which of the account's keys signed a SAS token. `resource` is what the consumer uses the
 * token on (a datastore's container or share, a connection's target path); an account SAS needs
 * none.
 */
function signedBy(token, account, keys, resource, now = new Date()) {
    const read = readToken(token);
    const { parsed } = read;
    const base = {
        kind: parsed.kind,
        version: parsed.version,
        expiresOn: parsed.expiresOn,
        expired: parsed.expiresOn !== undefined && parsed.expiresOn.getTime() <= now.getTime(),
        policy: parsed.identifier,
    };
    if (parsed.kind === 'user delegation')
        return { ...base, signedBy: 'user delegation' };
    const text = stringToSign(parsed, account, resource);
    if (!text.ok)
        return { ...base, signedBy: 'unknown', reason: text.reason };
    if ('signatureProblem' in read) {
        return { ...base, signedBy: 'unknown', reason: read.signatureProblem };
    }
    const { signature } = read;
    const matches = [];
    for (const name of ['key1', 'key2']) {
        const key = Buffer.from(keys[name] ?? '', 'base64');
        if (key.length === 0) {
            return { ...base, signedBy: 'unknown', reason: `${name} is empty or not base64` };
        }
        const expected = (0,external_node_crypto_.createHmac)('sha256', key).update(text.value, 'utf8').digest();
        if (expected.length === signature.length && (0,external_node_crypto_.timingSafeEqual)(expected, signature)) {
            matches.push(name);
        }
    }
    const [match] = matches;
    if (match !== undefined)
        return { ...base, signedBy: match };
    if (text.newerThanKnown) {
        return {
            ...base,
            signedBy: 'unknown',
            reason: `signed version ${parsed.version} is newer than ${LATEST_KNOWN_VERSION}, the newest whose layout is known, and that layout matches neither key`,
        };
    }
    return {
        ...base,
        signedBy: 'neither',
        reason: parsed.kind === 'service'
            ? 'it matches neither key for this resource: signed with an older key, or for another resource'
            : 'it matches neither key: signed with an older key, or for another account',
    };
}

;// CONCATENATED MODULE: ./src/sas/resource.ts
/**
 * Reads `https://<account>.blob|dfs|file.<suffix>/<container or share>[/<path>]` (any cloud's
 * suffix), with `snapshot` and `versionid` from its query. Undefined for anything else, such as
 * an emulator's path-style URL: build the SasResource by hand then.
 */
function storageTargetFromUrl(url) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return undefined;
    }
    const [account, endpoint] = parsed.hostname.toLowerCase().split('.');
    if (!account || !endpoint)
        return undefined;
    const service = endpoint === 'blob' || endpoint === 'dfs' ? 'blob' : endpoint === 'file' ? 'file' : undefined;
    if (service === undefined)
        return undefined;
    const segments = [];
    for (const segment of parsed.pathname.split('/').filter((s) => s !== '')) {
        try {
            segments.push(decodeURIComponent(segment));
        }
        catch {
            return undefined;
        }
    }
    const [first, ...rest] = segments;
    if (first === undefined)
        return { account };
    const path = rest.length > 0 ? rest.join('/') : undefined;
    if (service === 'file')
        return { account, resource: { service, share: first, file: path } };
    const snapshot = parsed.searchParams.get('snapshot') ?? undefined;
    const versionId = parsed.searchParams.get('versionid') ?? undefined;
    return { account, resource: { service, container: first, blob: path, snapshot, versionId } };
}

;// CONCATENATED MODULE: ./src/sas/reissue.ts
// A SAS token re-signed by another key: the same literal fields (permissions, resource, resource
// types, services, start, expiry, IP range, protocol, stored access policy, signed version,
// response headers), a new signature. Pure; never returns the key, and the caller masks the token.



/**
 * Recomputes the HMAC-SHA256 over the token's own string-to-sign with `key` (base64, as listKeys
 * gives it) and puts it in place of the `sig` parameter: every other byte of the query string is
 * kept, so the token says exactly what it said, signed by another key. A user delegation token or
 * one whose string-to-sign cannot be rebuilt cannot be re-issued: the reason says why.
 */
function reissue(token, account, key, resource) {
    const { parsed } = readToken(token);
    const text = stringToSign(parsed, account, resource);
    if (!text.ok)
        return refuse(text.reason);
    if (text.newerThanKnown) {
        return refuse(`signed version ${parsed.version} is newer than the newest whose layout is known: a signature over it might not validate`);
    }
    const secret = Buffer.from(key, 'base64');
    if (secret.length === 0)
        return refuse('the signing key is empty or not base64');
    const signature = (0,external_node_crypto_.createHmac)('sha256', secret).update(text.value, 'utf8').digest('base64');
    return withSignature(token, encodeURIComponent(signature));
}
/** The token with its one `sig` parameter's value replaced; the rest of the text untouched. */
function withSignature(token, encoded) {
    const text = token.trim();
    const start = text.indexOf('?');
    const head = start === -1 ? '' : text.slice(0, start + 1);
    const pieces = (start === -1 ? text : text.slice(start + 1)).split('&');
    const at = pieces.flatMap((piece, index) => (nameOf(piece) === 'sig' ? [index] : []));
    if (at.length !== 1) {
        return refuse(at.length === 0 ? 'there is no signature (sig)' : 'the signature appears twice');
    }
    pieces[at[0]] = `${pieces[at[0]].split('=')[0]}=${encoded}`;
    return { ok: true, token: `${head}${pieces.join('&')}` };
}
function nameOf(piece) {
    const raw = piece.split('=')[0] ?? '';
    try {
        return decodeURIComponent(raw);
    }
    catch {
        return undefined;
    }
}
function refuse(reason) {
    return { ok: false, reason };
}

;// CONCATENATED MODULE: ./src/sas/index.ts
// Which key signed a SAS token. Pure functions: the caller brings the token, the keys and what
// the consumer points at.







/***/ }),

/***/ 3731:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A4: () => (/* binding */ started),
/* harmony export */   jG: () => (/* binding */ Limiter),
/* harmony export */   sf: () => (/* binding */ mapLimit)
/* harmony export */ });
/** Maps items with at most `limit` calls in flight; results keep the input order. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
/**
 * At most `limit` tasks at a time, shared by everything one phase starts (every workspace, every
 * page, every secret read), so the limit holds however the work fans out. An `urgent` task (a
 * list page: every later read of that list waits for it) goes before every waiting normal one,
 * and while a chain of urgent tasks is open (`openChain`), normal tasks leave it one slot, so a
 * list page never waits for a secret read to finish.
 */
class Limiter {
    limit;
    active = 0;
    chains = 0;
    urgent = [];
    normal = [];
    constructor(limit) {
        this.limit = limit;
    }
    async run(task, priority = 'normal') {
        if (this.urgent.length === 0 && this.hasRoomFor(priority))
            this.active++;
        else {
            // A slot is handed over by a task that ends (see release): `active` already counts it.
            await new Promise((resolve) => (priority === 'urgent' ? this.urgent : this.normal).push(resolve));
        }
        try {
            return await task();
        }
        finally {
            this.active--;
            this.release();
        }
    }
    /** Keeps a slot for urgent tasks until the returned function is called (a listing's pages). */
    openChain() {
        this.chains++;
        let open = true;
        return () => {
            if (!open)
                return;
            open = false;
            this.chains--;
            this.release();
        };
    }
    hasRoomFor(priority) {
        const reserved = priority === 'normal' && this.chains > 0 && this.limit > 1 ? 1 : 0;
        return this.active < this.limit - reserved;
    }
    /** Starts waiting tasks while there is room, urgent ones first. */
    release() {
        for (;;) {
            const queue = this.urgent.length > 0 ? this.urgent : this.normal;
            const priority = queue === this.urgent ? 'urgent' : 'normal';
            if (queue.length === 0 || !this.hasRoomFor(priority))
                return;
            this.active++;
            queue.shift()();
        }
    }
}
/**
 * Starts a task now and lets its failure wait for whoever awaits it later, without Node calling it
 * unhandled in the meantime.
 */
function started(promise) {
    promise.catch(() => undefined);
    return promise;
}


/***/ }),

/***/ 1562:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O3: () => (/* binding */ STORAGE),
/* harmony export */   RQ: () => (/* binding */ parseResourceId),
/* harmony export */   RY: () => (/* binding */ looksLikeResourceId),
/* harmony export */   T4: () => (/* binding */ WORKSPACES),
/* harmony export */   XD: () => (/* binding */ subscriptionOf),
/* harmony export */   XF: () => (/* binding */ refKey),
/* harmony export */   a: () => (/* binding */ resourceId),
/* harmony export */   nK: () => (/* binding */ sameResource)
/* harmony export */ });
const RESOURCE_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/]+)\/?$/i;
function looksLikeResourceId(value) {
    return value.startsWith('/');
}
/** Parses `/subscriptions/…/resourceGroups/…/providers/<namespace>/<type>/<name>`. */
function parseResourceId(id, namespace, type) {
    const match = RESOURCE_ID.exec(id.trim());
    if (!match)
        return undefined;
    const [, subscriptionId, resourceGroup, ns, t, name] = match;
    if (ns.toLowerCase() !== namespace.toLowerCase() || t.toLowerCase() !== type.toLowerCase()) {
        return undefined;
    }
    return { subscriptionId: subscriptionId, resourceGroup: resourceGroup, name: name };
}
/** The subscription a resource or scope ID is in; '' for an ID outside any subscription. */
function subscriptionOf(id) {
    return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? '';
}
function resourceId(ref, namespace, type) {
    return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${namespace}/${type}/${ref.name}`;
}
const STORAGE = ['Microsoft.Storage', 'storageAccounts'];
const WORKSPACES = ['Microsoft.MachineLearningServices', 'workspaces'];
function sameResource(a, b) {
    return !!a && !!b && a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}
/** A stable map key for a resource. */
function refKey(ref) {
    return `${ref.subscriptionId}/${ref.resourceGroup}/${ref.name}`.toLowerCase();
}


/***/ }),

/***/ 4537:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $l: () => (/* binding */ maskSecret),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   WW: () => (/* binding */ looksLikeSecret)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);

const knownSecrets = new Set();
/** Masks a secret in the job log the moment it is read, and remembers it for sanitising. */
function maskSecret(value) {
    if (!value || knownSecrets.has(value))
        return;
    knownSecrets.add(value);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) {
        knownSecrets.add(encoded);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(encoded);
    }
}
const REDACTIONS = [
    [
        /\b(AccountKey|SharedAccessSignature|sig|key|sasToken|clientSecret)(["']?\s*[=:]\s*["']?)[^"'&;,\s}]+/gi,
        '$1$2[redacted]',
    ],
];
// A storage key is 64 random bytes in base64. A long base64-shaped run is treated as a key unless
// it has no base64 padding and its slashes come as often as in a URL path (random base64 has about
// one '/' in 64 characters).
const KEY_SHAPED = /[A-Za-z0-9+/]{40,}={0,2}/g;
const looksRandom = (run) => run.endsWith('=') || (/\d/.test(run) && (run.match(/\//g)?.length ?? 0) <= run.length / 16);
/** Removes every known secret and anything key-shaped from a text bound for a log, summary or report. */
function redact(text) {
    let result = text;
    for (const secret of knownSecrets)
        result = result.split(secret).join('[redacted]');
    for (const [pattern, replacement] of REDACTIONS)
        result = result.replace(pattern, replacement);
    return result.replace(KEY_SHAPED, (run) => (looksRandom(run) ? '[redacted]' : run));
}
/**
 * Reduces any error to "status code: message (correlation ID …)", sanitised. SDK errors carry the
 * request and response (bodies included); only these fields ever leave this function.
 */
function describeError(error) {
    if (!(error instanceof Error))
        return redact(String(error));
    const e = error;
    const code = e.details?.error?.code ?? e.code;
    const message = e.details?.error?.message ?? e.message;
    const parts = [e.statusCode ? String(e.statusCode) : undefined, code].filter(Boolean).join(' ');
    const correlation = e.correlationId ?? e.response?.headers?.get?.('x-ms-correlation-request-id');
    // Redacted before it is cut: a key across the cut would leave a fragment nothing recognises.
    const line = truncate(redact(firstLine(message)));
    const text = parts ? `${parts}: ${line}` : line;
    return redact(correlation ? `${text} (correlation ID ${correlation})` : text);
}
function firstLine(message) {
    const text = (message ?? 'unknown error').trim();
    return text.split(/\r?\n/)[0] ?? text;
}
const truncate = (line) => (line.length > 500 ? `${line.slice(0, 500)}…` : line);
// A connection string, a SAS token (its signature or version field), or a storage key alone.
const SECRET_MARKERS = /\b(AccountKey|SharedAccessSignature)\s*=|[?&]sig=|(^|[?&])sv=\d{4}-/i;
const KEY_TOKEN = /^[A-Za-z0-9+/]{40,}={0,2}$/;
/**
 * Whether an input's value looks like a secret (a key, a SAS token, a connection string): such a
 * value is masked and never echoed, not even in the error that says the input is wrong.
 */
function looksLikeSecret(value) {
    if (SECRET_MARKERS.test(value))
        return true;
    return value.split(/\s+/).some((token) => KEY_TOKEN.test(token) && looksRandom(token));
}


/***/ }),

/***/ 9997:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ capitalise)
/* harmony export */ });
/** "datastore 'x'" → "Datastore 'x'": a phrase that starts a sentence. */
const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);


/***/ }),

/***/ 6043:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ HOUR_MS),
/* harmony export */   s: () => (/* binding */ DAY_MS)
/* harmony export */ });
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;


/***/ })

};
