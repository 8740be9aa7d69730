export const id = 269;
export const ids = [269];
export const modules = {

/***/ 4269:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VAULTS: () => (/* binding */ VAULTS),
/* harmony export */   createKeyVaultOperations: () => (/* binding */ createKeyVaultOperations)
/* harmony export */ });
/* harmony import */ var _azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1818);
/* harmony import */ var _azure_keyvault_common__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(357);
/* harmony import */ var _azure_keyvault_secrets__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3862);
/* harmony import */ var _util_resource_id_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1562);
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4537);





/** Microsoft.KeyVault/vaults: a stable version with enableRbacAuthorization and access policies. */
const VAULTS_API_VERSION = '2023-07-01';
/** The Key Vault data plane's version; what @azure/keyvault-secrets 4.10 speaks. */
const SECRETS_API_VERSION = '7.6';
const VAULTS = ['Microsoft.KeyVault', 'vaults'];
/**
 * Key Vaults through Resource Manager (on the pipeline of the other ARM calls), their secrets
 * through the data plane with the same credential. The token's scope comes from the vault's own
 * 401 challenge, as the SDK does it.
 */
function createKeyVaultOperations(tokens, cloud, rest) {
    const clients = new Map();
    const pipelines = new Map();
    const httpClient = (0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createDefaultHttpClient */ .fl)();
    // The SDK checks that the challenge's resource is a parent domain of the vault's host; a vault
    // outside the cloud's suffix (an emulator on 127.0.0.1) cannot pass that check.
    const challengeOptions = (vaultUri) => ({
        disableChallengeResourceVerification: !onCloudHost(vaultUri, cloud),
    });
    const secrets = (vaultUri) => memo(clients, vaultUri, () => new _azure_keyvault_secrets__WEBPACK_IMPORTED_MODULE_2__/* .SecretClient */ ._V(vaultUri, tokens, challengeOptions(vaultUri)));
    // SecretClient.setSecret drops contentType from the request (Azure/azure-sdk-for-js#38300, in
    // 4.10 and later), and so does updateSecretProperties: a new version is written with the same
    // authentication policy, retries and throttling handling, as a plain PUT.
    const writer = (vaultUri) => memo(pipelines, vaultUri, () => {
        const pipeline = (0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createPipelineFromOptions */ .Fp)({});
        pipeline.addPolicy((0,_azure_keyvault_common__WEBPACK_IMPORTED_MODULE_1__/* .keyVaultAuthenticationPolicy */ .sO)(tokens, challengeOptions(vaultUri)));
        return pipeline;
    });
    // The SDK's Key Vault challenge policy sends a pipeline's first request without its body, keeping
    // that one body aside until the challenge is answered: two first writes at once lose a body (the
    // service answers 400). The first write to a vault goes alone; the others wait for it.
    const firstWrites = new Map();
    const sendWrite = async (vaultUri, request) => {
        const first = firstWrites.get(vaultUri);
        if (!first) {
            const sent = writer(vaultUri).sendRequest(httpClient, request);
            firstWrites.set(vaultUri, sent);
            return sent;
        }
        await first.catch(() => undefined);
        return writer(vaultUri).sendRequest(httpClient, request);
    };
    return {
        async listVaults(subscriptionId) {
            const vaults = await rest(subscriptionId).list(`/subscriptions/${subscriptionId}/providers/${VAULTS.join('/')}`, VAULTS_API_VERSION);
            return vaults.map((v) => toVault(v, subscriptionId));
        },
        async getVault(ref) {
            const vault = await rest(ref.subscriptionId).send('GET', (0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_4__/* .resourceId */ .a)(ref, ...VAULTS), VAULTS_API_VERSION);
            return toVault(vault, ref.subscriptionId, ref);
        },
        async listSecretProperties(vaultUri) {
            const found = [];
            for await (const p of secrets(vaultUri).listPropertiesOfSecrets())
                found.push(toProperties(p));
            return found;
        },
        async getSecret(vaultUri, name, version) {
            const secret = await secrets(vaultUri).getSecret(name, version ? { version } : {});
            (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .maskSecret */ .$l)(secret.value);
            return { value: secret.value ?? '', properties: toProperties(secret.properties) };
        },
        async setSecret(vaultUri, name, version) {
            (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .maskSecret */ .$l)(version.value);
            const request = (0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createPipelineRequest */ .G6)({
                url: `${vaultUri.replace(/\/+$/, '')}/secrets/${encodeURIComponent(name)}?api-version=${SECRETS_API_VERSION}`,
                method: 'PUT',
            });
            request.headers = (0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createHttpHeaders */ .Nc)({ 'Content-Type': 'application/json' });
            request.body = JSON.stringify({
                value: version.value,
                ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
                ...(version.tags ? { tags: version.tags } : {}),
                attributes: {
                    enabled: true,
                    ...(version.expiresOn ? { exp: Math.floor(version.expiresOn.getTime() / 1000) } : {}),
                },
            });
            const response = await sendWrite(vaultUri, request);
            const text = response.bodyAsText ?? '';
            if (response.status !== 200)
                throw dataPlaneError(response.status, text);
            return fromBundle(JSON.parse(text));
        },
    };
}
/** The vault's host is under the cloud's Key Vault suffix (or is a vault of a cloud at all). */
function onCloudHost(vaultUri, cloud) {
    try {
        return new URL(vaultUri).hostname.toLowerCase().endsWith(`.${cloud.keyVaultSuffix}`);
    }
    catch {
        return true;
    }
}
function toProperties(p) {
    return {
        name: p.name,
        ...(p.version ? { version: p.version } : {}),
        enabled: p.enabled !== false,
        ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
        ...(p.tags ? { tags: { ...p.tags } } : {}),
        ...dates(p),
        managed: p.managed === true,
    };
}
function dates(p) {
    const out = {};
    for (const field of ['createdOn', 'updatedOn', 'expiresOn', 'notBefore']) {
        if (p[field])
            out[field] = p[field];
    }
    return out;
}
function fromBundle(bundle) {
    const [, name = '', version] = /\/secrets\/([^/]+)(?:\/([^/?]+))?/.exec(bundle.id ?? '') ?? [];
    const at = (seconds) => seconds === undefined ? undefined : new Date(seconds * 1000);
    const a = bundle.attributes ?? {};
    return {
        name,
        ...(version ? { version } : {}),
        enabled: a.enabled !== false,
        ...(bundle.contentType !== undefined ? { contentType: bundle.contentType } : {}),
        ...(bundle.tags ? { tags: bundle.tags } : {}),
        ...dates({
            createdOn: at(a.created),
            updatedOn: at(a.updated),
            expiresOn: at(a.exp),
            notBefore: at(a.nbf),
        }),
        managed: bundle.managed === true,
    };
}
/** An error shaped like the SDK's (statusCode, code, message), so describeError reads it alike. */
function dataPlaneError(status, body) {
    let code;
    let message = `the request failed with status ${status}`;
    try {
        const parsed = JSON.parse(body);
        code = parsed.error?.code;
        message = parsed.error?.message ?? message;
    }
    catch {
        // not JSON: keep the generic message
    }
    return Object.assign(new Error(message), { statusCode: status, code });
}
function toVault(v, subscriptionId, known) {
    const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(v.id ?? '')?.[1] ?? '';
    const ref = known ?? { subscriptionId, resourceGroup, name: v.name ?? '' };
    const p = v.properties ?? {};
    return {
        id: v.id ?? (0,_util_resource_id_js__WEBPACK_IMPORTED_MODULE_4__/* .resourceId */ .a)(ref, ...VAULTS),
        ref,
        uri: p.vaultUri ?? '',
        rbacAuthorization: p.enableRbacAuthorization === true,
        accessPolicies: (p.accessPolicies ?? []).map((a) => ({
            tenantId: a.tenantId ?? '',
            objectId: a.objectId ?? '',
            ...(a.applicationId ? { applicationId: a.applicationId } : {}),
            secrets: (a.permissions?.secrets ?? []).map((s) => s.toLowerCase()),
        })),
    };
}
function memo(cache, key, create) {
    let value = cache.get(key);
    if (!value)
        cache.set(key, (value = create()));
    return value;
}


/***/ })

};
