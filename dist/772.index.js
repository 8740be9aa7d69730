export const id = 772;
export const ids = [772];
export const modules = {

/***/ 3772:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runInventory: () => (/* binding */ runInventory)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/azure/arm.ts + 8 modules
var arm = __webpack_require__(2408);
// EXTERNAL MODULE: ./src/azure/credential.ts
var credential = __webpack_require__(8098);
// EXTERNAL MODULE: ./src/inputs/input-values.ts
var input_values = __webpack_require__(5848);
// EXTERNAL MODULE: ./src/inputs/inputs.ts + 1 modules
var inputs = __webpack_require__(4832);
// EXTERNAL MODULE: ./src/inputs/key-vaults.ts
var key_vaults = __webpack_require__(7586);
;// CONCATENATED MODULE: ./src/inputs/inventory-inputs.ts
// The inputs of `mode: inventory`: a subscription to list, and how to log in and judge key ages.




function getInventoryInputs(env = process.env) {
    return parseInventoryInputs((name) => core/* getInput */.V4(name), env);
}
/**
 * The inputs of `mode: inventory`. Rotation inputs (storage-account, workspace, dry-run, key-name,
 * …) are not read: an inventory changes nothing and covers every account of the subscription.
 */
function parseInventoryInputs(read, env = process.env) {
    const problems = [];
    const get = (name) => read(name).trim();
    const subscriptionId = get('subscription-id') || env.AZURE_SUBSCRIPTION_ID?.trim() || '';
    if (!subscriptionId) {
        problems.push('subscription-id is required: set the input or AZURE_SUBSCRIPTION_ID.');
    }
    else if (!input_values/* GUID */.Sm.test(subscriptionId)) {
        problems.push(`subscription-id '${subscriptionId}' is not a subscription ID (a GUID).`);
    }
    const resourceGroup = get('resource-group');
    if (resourceGroup && !input_values/* RESOURCE_GROUP */.JO.test(resourceGroup)) {
        problems.push(`resource-group '${resourceGroup}' is not a valid resource group name.`);
    }
    const maxKeyAgeDays = (0,input_values/* parseOptionalNumber */.NA)('max-key-age-days', get('max-key-age-days'), problems);
    const concurrency = (0,input_values/* parseConcurrency */.nY)(get('concurrency'), problems);
    const cloud = (0,input_values/* parseCloud */.lw)(get('environment'), get('arm-endpoint'), problems);
    const login = (0,input_values/* parseLogin */.$n)(get('client-id'), get('tenant-id'), get('audience'), problems);
    const keyVaults = (0,key_vaults/* parseKeyVaults */.md)(read('key-vaults').split(/\r?\n/));
    problems.push(...keyVaults.problems);
    if (problems.length > 0)
        throw new inputs/* InputError */.dz(problems);
    return {
        subscriptionId,
        resourceGroup: resourceGroup || undefined,
        maxKeyAgeDays,
        concurrency,
        cloud: cloud,
        login,
        keyVaults: keyVaults.vaults,
    };
}

// EXTERNAL MODULE: ./src/plan/key-age.ts
var key_age = __webpack_require__(9606);
// EXTERNAL MODULE: ./src/util/secrets.ts
var secrets = __webpack_require__(4537);
// EXTERNAL MODULE: ./src/util/text.ts
var util_text = __webpack_require__(9997);
// EXTERNAL MODULE: ./src/report/failure.ts
var failure = __webpack_require__(3304);
// EXTERNAL MODULE: ./src/azure/port.ts
var port = __webpack_require__(5488);
// EXTERNAL MODULE: ./src/util/concurrency.ts
var concurrency = __webpack_require__(3731);
// EXTERNAL MODULE: ./src/consumers/index.ts + 3 modules
var consumers = __webpack_require__(6869);
// EXTERNAL MODULE: ./src/util/resource-id.ts
var resource_id = __webpack_require__(1562);
// EXTERNAL MODULE: ./src/consumers/key-vault/discover.ts
var discover = __webpack_require__(3521);
// EXTERNAL MODULE: ./src/consumers/key-vault/tags.ts
var key_vault_tags = __webpack_require__(7295);
// EXTERNAL MODULE: ./src/consumers/key-vault/value.ts
var key_vault_value = __webpack_require__(3873);
;// CONCATENATED MODULE: ./src/consumers/key-vault/survey.ts





const VAULT_RESOURCE = ['Microsoft.KeyVault', 'vaults'];
const EVERY_JOB = 'every rotation job gets it in key-vaults and looks there for the secrets tagged for its own account';
const NO_JOB = "it goes to no rotation job, since which account's key it holds is unknown: let the inventory's login read it (Key Vault Secrets User, or the access policy's get), or name it in its account's job";
/** Reads the vaults key-vaults names, and tells which account's key each secret in them holds. */
async function surveyVaults(azure, requests, subscriptionId, limit) {
    const survey = { secrets: [], unassigned: [], gaps: [], everyJob: [] };
    const find = (0,discover/* vaultFinder */.hZ)(azure, subscriptionId, limit);
    const resolve = async (name) => {
        const found = await find(name);
        if (!found)
            throw new Error(`not found in subscription ${subscriptionId}`);
        return found;
    };
    await Promise.all(requests.map(async (request) => {
        const label = 'ref' in request.vault ? request.vault.ref.name : request.vault.name;
        let vault;
        try {
            vault = await resolve(request.vault);
        }
        catch (error) {
            const named = request.secrets.length > 0
                ? `the secrets named in it (${request.secrets.join(', ')}) go to no rotation job`
                : '';
            survey.gaps.push({
                name: `key vault '${label}'`,
                reason: (0,secrets/* describeError */.Uc)(error),
                effect: [request.tagged ? EVERY_JOB : '', named].filter(Boolean).join('; '),
            });
            if (request.tagged)
                survey.everyJob.push(asInput(request.vault));
            return;
        }
        await surveyVault(azure, vault, request, limit, survey);
    }));
    const byName = (a, b) => a.vault.localeCompare(b.vault) || a.name.localeCompare(b.name);
    survey.secrets.sort(byName);
    survey.unassigned.sort((a, b) => byName(a.secret, b.secret));
    survey.gaps.sort((a, b) => a.name.localeCompare(b.name));
    survey.everyJob = [...new Set(survey.everyJob)].sort();
    return survey;
}
async function surveyVault(azure, vault, request, limit, survey) {
    const where = { vault: vault.ref.name, vaultId: vault.id };
    let listed = [];
    if (request.tagged) {
        try {
            listed = await limit.run(() => azure.listSecretProperties(vault.uri));
        }
        catch (error) {
            survey.gaps.push({
                name: `the secrets of key vault '${vault.ref.name}'`,
                reason: (0,secrets/* describeError */.Uc)(error),
                effect: EVERY_JOB,
            });
            survey.everyJob.push(vault.id);
        }
    }
    const named = new Set(request.secrets.map((s) => s.toLowerCase()));
    for (const p of listed.filter((p) => !p.managed && !named.has(p.name.toLowerCase()))) {
        const tags = (0,key_vault_tags/* tutorialTagsOf */.$o)(p.tags);
        const account = storageAccountOf(tags.providerAddress);
        if (!account)
            continue;
        survey.secrets.push({
            ...where,
            name: p.name,
            found: 'tagged',
            ...(tags.credentialId ? { credentialId: tags.credentialId } : {}),
            account: account.name.toLowerCase(),
            accountRef: account,
        });
    }
    await Promise.all(request.secrets.map(async (name) => {
        const tagged = listed.find((p) => p.name.toLowerCase() === name.toLowerCase());
        try {
            const secret = await limit.run(() => azure.getSecret(vault.uri, name));
            judgeNamed(where, name, secret.value, secret.properties.tags, survey);
        }
        catch (error) {
            // Its value could not be read; a ProviderAddress tag in the listing still names its account.
            const account = storageAccountOf((0,key_vault_tags/* tutorialTagsOf */.$o)(tagged?.tags).providerAddress);
            if (account) {
                survey.secrets.push({
                    ...where,
                    name,
                    found: 'named',
                    account: account.name.toLowerCase(),
                    accountRef: account,
                });
                return;
            }
            survey.gaps.push({
                name: `secret '${name}' of key vault '${vault.ref.name}'`,
                reason: (0,secrets/* describeError */.Uc)(error),
                effect: NO_JOB,
            });
        }
    }));
}
/** A named secret's account: its connection string's AccountName, or for a raw key its tag. */
function judgeNamed(where, name, value, tags, survey) {
    const content = (0,key_vault_value/* readSecretValue */.kq)(value);
    const tutorial = (0,key_vault_tags/* tutorialTagsOf */.$o)(tags);
    const seen = {
        ...where,
        name,
        found: 'named',
        ...(content ? { form: content.form === 'key' ? 'raw key' : 'connection string' } : {}),
        ...(tutorial.credentialId ? { credentialId: tutorial.credentialId } : {}),
    };
    if (!content) {
        survey.unassigned.push({ secret: seen, reason: 'it holds no storage account key' });
        return;
    }
    (0,secrets/* maskSecret */.$l)(content.key);
    const tagged = storageAccountOf(tutorial.providerAddress);
    const account = content.accountName ?? tagged?.name.toLowerCase();
    if (!account) {
        survey.unassigned.push({
            secret: seen,
            reason: "a raw key names no account and it has no ProviderAddress tag, so whose key it is cannot be told: name it in its account's job",
        });
        return;
    }
    const sameAccount = tagged && tagged.name.toLowerCase() === account;
    survey.secrets.push({ ...seen, account, ...(sameAccount ? { accountRef: tagged } : {}) });
}
function storageAccountOf(providerAddress) {
    return providerAddress ? (0,resource_id/* parseResourceId */.RQ)(providerAddress, ...resource_id/* STORAGE */.O3) : undefined;
}
/** The key-vaults line of a vault as the input named it: its resource ID, or its name. */
function asInput(vault) {
    return 'ref' in vault ? (0,resource_id/* resourceId */.a)(vault.ref, ...VAULT_RESOURCE) : vault.name;
}

;// CONCATENATED MODULE: ./src/inventory-mode/key-vault-findings.ts
/** Gives each account in use the secrets that hold its key; the rest are other accounts'. */
function withSecrets(accounts, survey) {
    const byAccount = new Map();
    for (const s of survey.secrets)
        byAccount.set(s.account, [...(byAccount.get(s.account) ?? []), s]);
    const strip = ({ account: _a, accountRef: _r, ...secret }) => secret;
    for (const account of accounts) {
        account.secrets = (byAccount.get(account.name.toLowerCase()) ?? []).map(strip);
        byAccount.delete(account.name.toLowerCase());
    }
    return {
        otherAccounts: [...byAccount]
            .map(([account, secrets]) => {
            const ref = secrets.find((s) => s.accountRef)?.accountRef;
            return { account, ...(ref ? { ref } : {}), secrets: secrets.map(strip) };
        })
            .sort((a, b) => a.account.localeCompare(b.account)),
        unassigned: survey.unassigned,
        everyJob: survey.everyJob,
    };
}
/** One line per vault of tagged secrets and per named secret, by resource ID: the rotation's input. */
function keyVaultsInput(secrets, everyJob) {
    const lines = secrets.map((s) => s.found === 'tagged' ? s.vaultId : `${s.vaultId}/secrets/${s.name}`);
    return [...new Set([...lines, ...everyJob])].join('\n');
}

;// CONCATENATED MODULE: ./src/inventory-mode/subscription-inventory.ts








/**
 * Every storage account the subscription's Azure ML workspaces use — as default storage, in a
 * datastore or in a connection — with its key ages and whether a rotation with the same
 * max-key-age-days would regenerate a key. Reads only, with read permissions only: listings and
 * resource properties, never a key or a secret (key ages come from the account's keyCreationTime).
 */
async function surveySubscription(azure, inputs, now) {
    const limit = new concurrency/* Limiter */.jG(inputs.concurrency);
    const { subscriptionId, resourceGroup } = inputs;
    const storageSuffix = inputs.cloud.storageSuffix;
    const listing = (0,concurrency/* started */.A4)(limit.run(() => azure.listStorageAccounts(subscriptionId)));
    const vaults = inputs.keyVaults.length > 0
        ? (0,concurrency/* started */.A4)(surveyVaults(azure, inputs.keyVaults, subscriptionId, limit))
        : undefined;
    const workspaces = await limit.run(() => azure.listWorkspaces(subscriptionId, resourceGroup));
    const uninspected = [];
    // Account name (lower case) → what is known of where it is, and who uses it how.
    const found = new Map();
    const use = (name, ws, ref) => {
        const key = name.toLowerCase();
        let entry = found.get(key);
        if (!entry)
            found.set(key, (entry = { users: new Map() }));
        if (ref && !entry.ref)
            entry.ref = ref;
        let user = entry.users.get((0,resource_id/* refKey */.XF)(ws.ref));
        if (!user) {
            user = {
                workspaceId: ws.id,
                workspace: ws.ref,
                defaultStorage: false,
                datastores: 0,
                connections: 0,
                keyBased: 0,
            };
            entry.users.set((0,resource_id/* refKey */.XF)(ws.ref), user);
        }
        return user;
    };
    await Promise.all(workspaces.map(async (ws) => {
        const defaultStorage = ws.storageAccountId && (0,resource_id/* parseResourceId */.RQ)(ws.storageAccountId, ...resource_id/* STORAGE */.O3);
        if (defaultStorage)
            use(defaultStorage.name, ws, defaultStorage).defaultStorage = true;
        try {
            const kinds = await Promise.all(consumers/* ADAPTERS */.R.map((adapter) => adapter.survey(azure, ws.ref, { storageSuffix, limit })));
            for (const reference of kinds.flat())
                count(use(reference.account, ws, refOf(reference)), reference);
        }
        catch (error) {
            uninspected.push({ name: ws.ref.name, reason: (0,secrets/* describeError */.Uc)(error) });
        }
    }));
    const inSubscription = new Map();
    try {
        for (const account of await listing)
            inSubscription.set(account.ref.name.toLowerCase(), account);
    }
    catch (error) {
        uninspected.push({
            name: `the storage accounts of subscription ${subscriptionId}`,
            reason: (0,secrets/* describeError */.Uc)(error),
        });
    }
    const accounts = await Promise.all([...found].map(async ([name, entry]) => {
        let account = inSubscription.get(name);
        let unresolved;
        if (!account && entry.ref && entry.ref.resourceGroup) {
            // In another subscription (or not listed): read it where its users say it is.
            const ref = entry.ref;
            account = await limit
                .run(() => azure.getStorageAccount(ref))
                .catch((error) => {
                unresolved = `could not read it: ${(0,secrets/* describeError */.Uc)(error)}`;
                return undefined;
            });
        }
        if (!account && !unresolved) {
            unresolved = `not among the storage accounts the login can read in subscription ${subscriptionId}`;
        }
        return surveyed(name, account, [...entry.users.values()], inputs.maxKeyAgeDays, now, unresolved);
    }));
    const survey = await vaults;
    if (survey)
        uninspected.push(...survey.gaps);
    return {
        subscriptionId,
        resourceGroup,
        maxKeyAgeDays: inputs.maxKeyAgeDays,
        observedAt: now.toISOString(),
        workspaces: workspaces.length,
        accounts: accounts.sort((a, b) => a.name.localeCompare(b.name)),
        uninspected: uninspected.sort((a, b) => a.name.localeCompare(b.name)),
        ...(survey ? { keyVaults: withSecrets(accounts, survey) } : {}),
    };
}
function refOf(reference) {
    return reference.subscriptionId && reference.resourceGroup
        ? {
            subscriptionId: reference.subscriptionId,
            resourceGroup: reference.resourceGroup,
            name: reference.account,
        }
        : undefined;
}
function count(user, reference) {
    if (reference.kind === 'datastore')
        user.datastores++;
    else
        user.connections++;
    if (reference.auth !== 'Other')
        user.keyBased++;
}
function surveyed(name, account, users, maxKeyAgeDays, now, unresolved) {
    const sortedUsers = users.sort((a, b) => a.workspace.name.localeCompare(b.workspace.name));
    if (!account) {
        return { name, keys: [], dueKeys: [], due: false, users: sortedUsers, secrets: [], unresolved };
    }
    const keys = port/* KEY_NAMES */.V.map((key) => ({
        name: key,
        value: '',
        createdOn: account.keyCreationTime[key],
    }));
    const limit = ageLimitOf(account.keyExpirationDays, maxKeyAgeDays);
    const due = limit ? (0,key_age/* dueKeys */.Jo)(keys, limit, now) : [];
    return {
        name: account.ref.name,
        ref: account.ref,
        id: account.id,
        keys: keys.map((k) => {
            const age = (0,key_age/* ageDays */.BJ)(k, now);
            return {
                name: k.name,
                createdOn: k.createdOn?.toISOString(),
                ageDays: Number.isFinite(age) ? Math.floor(age) : undefined,
            };
        }),
        keyExpirationDays: account.keyExpirationDays,
        allowSharedKeyAccess: account.allowSharedKeyAccess,
        ageLimit: limit,
        dueKeys: due,
        // Without an age limit a rotation regenerates a key every run: every account is due.
        due: limit ? due.length > 0 : true,
        users: sortedUsers,
        secrets: [],
    };
}
/** The rule of key-age.ts's ageLimit: the stricter of the input and the account's policy. */
function ageLimitOf(policyDays, maxKeyAgeDays) {
    if (policyDays !== undefined && (maxKeyAgeDays === undefined || policyDays < maxKeyAgeDays)) {
        return { days: policyDays, source: 'key policy' };
    }
    return maxKeyAgeDays === undefined
        ? undefined
        : { days: maxKeyAgeDays, source: 'max-key-age-days' };
}
/**
 * The `strategy.matrix` value for the accounts (`fromJSON` of it), in the order given. `everyJob`:
 * key-vaults lines each entry gets besides its own secrets' (vaults the inventory could not list).
 */
function matrixOf(accounts, everyJob = []) {
    return {
        include: accounts
            .filter((a) => !!a.ref)
            .map((a) => ({
            'storage-account': a.ref.name,
            'storage-account-resource-group': a.ref.resourceGroup,
            'subscription-id': a.ref.subscriptionId,
            workspace: a.users.map((u) => u.workspaceId).join('\n'),
            due: a.due,
            'key1-age-days': a.keys.find((k) => k.name === 'key1')?.ageDays ?? null,
            'key2-age-days': a.keys.find((k) => k.name === 'key2')?.ageDays ?? null,
            'key-vaults': keyVaultsInput(a.secrets, everyJob),
        })),
    };
}

;// CONCATENATED MODULE: ./src/inventory-mode/inventory-mode.ts












/**
 * `mode: inventory`: lists every storage account the subscription's Azure ML workspaces use, with
 * key ages and whether each is due, and sets `accounts` / `due-accounts` for a rotation job's
 * `strategy.matrix` (one job per account). Reads only; needs only read permissions.
 */
async function runInventory() {
    let inputs;
    try {
        inputs = getInventoryInputs();
        const azure = (0,arm/* createArmPort */.M)((0,credential/* createCredential */.GO)(inputs.login, inputs.cloud), inputs.cloud);
        const settings = inputs;
        const inventory = await core/* group */.Os(`Inventory of subscription ${inputs.subscriptionId}${inputs.resourceGroup ? `, resource group '${inputs.resourceGroup}'` : ''}`, async () => {
            const found = await surveySubscription(azure, settings, new Date());
            logInventory(found);
            return found;
        });
        const everyJob = inventory.keyVaults?.everyJob;
        const all = matrixOf(inventory.accounts, everyJob);
        const due = matrixOf(inventory.accounts.filter((a) => a.due), everyJob);
        core/* setOutput */.uH('accounts', JSON.stringify(all));
        core/* setOutput */.uH('due-accounts', JSON.stringify(due));
        core/* setOutput */.uH('account-count', String(all.include.length));
        core/* setOutput */.uH('due-count', String(due.include.length));
        core/* setOutput */.uH('report-path', await writeInventoryReport(inventory, all));
        await writeInventorySummary(inventory).catch((error) => core/* warning */.$e(`Could not write the job summary: ${(0,secrets/* describeError */.Uc)(error)}`));
        for (const account of inventory.accounts.filter((a) => a.unresolved)) {
            core/* warning */.$e(`Storage account '${account.name}' is used by ${usersText(account)} but is left out of the matrix: ${account.unresolved}.`);
        }
        for (const place of inventory.uninspected) {
            const effect = place.effect ? `${(0,util_text/* capitalise */.s)(place.effect)}.` : 'Its accounts may be missing.';
            core/* warning */.$e(`Could not inspect ${place.name}: ${(0,failure/* sentence */.em)(place.reason)} ${effect}`);
        }
        for (const { secret, reason } of inventory.keyVaults?.unassigned ?? []) {
            core/* warning */.$e(`Secret '${secret.name}' of key vault '${secret.vault}' goes to no rotation job: ${reason}.`);
        }
    }
    catch (error) {
        core/* setFailed */.C1(failureMessage(error, inputs));
    }
}
function logInventory(inventory) {
    core/* info */.pq(`${inventory.workspaces} workspace(s), ${inventory.accounts.length} storage account(s) in use.`);
    for (const account of inventory.accounts) {
        const where = account.ref ? `resource group '${account.ref.resourceGroup}'` : 'not found';
        const ages = account.keys
            .map((k) => `${k.name} ${k.ageDays === undefined ? 'of unknown age' : `${k.ageDays} days`}`)
            .join(', ');
        const due = !account.ref
            ? 'left out'
            : account.due
                ? `due${account.dueKeys.length ? ` (${account.dueKeys.join(', ')})` : ''}`
                : 'not due';
        const secrets = account.secrets.length
            ? `; Key Vault secrets ${account.secrets.map(describeSecret).join(', ')}`
            : '';
        core/* info */.pq(`${account.name} (${where}): ${ages || 'keys unknown'}; ${due}; ${usersText(account)}${secrets}`);
    }
    for (const other of inventory.keyVaults?.otherAccounts ?? []) {
        core/* info */.pq(`${other.account}: no workspace uses it, not in the matrix; Key Vault secrets ${other.secrets.map(describeSecret).join(', ')}`);
    }
}
/** "kv-apps/app-key (tagged key2)", "kv-apps/app-conn (named, connection string)". */
function describeSecret(s) {
    const how = s.found === 'tagged'
        ? ['tagged', s.credentialId].filter(Boolean).join(' ')
        : ['named', s.form].filter(Boolean).join(', ');
    return `${s.vault}/${s.name} (${how})`;
}
function usersText(account) {
    return account.users
        .map((u) => {
        const uses = [
            u.defaultStorage ? 'default storage' : '',
            u.datastores ? `${u.datastores} datastore(s)` : '',
            u.connections ? `${u.connections} connection(s)` : '',
        ].filter(Boolean);
        return `workspace '${u.workspace.name}' (${uses.join(', ')})`;
    })
        .join(', ');
}
async function writeInventoryReport(inventory, matrix) {
    const dir = (0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'aml-storage-key-rotation');
    await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
    const stamp = inventory.observedAt.replace(/[:.]/g, '-');
    const path = (0,external_node_path_.join)(dir, `inventory-${inventory.subscriptionId}-${stamp}.json`);
    const report = { version: 1, mode: 'inventory', ...inventory, matrix };
    await (0,promises_.writeFile)(path, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
    return path;
}
const inventory_mode_escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\|/g, '&#124;');
async function writeInventorySummary(inventory) {
    const limit = inventory.maxKeyAgeDays;
    const vaults = inventory.keyVaults;
    const rows = inventory.accounts.map((a) => [
        inventory_mode_escape(a.name),
        inventory_mode_escape(a.ref?.resourceGroup ?? '—'),
        ...['key1', 'key2'].map((name) => {
            const age = a.keys.find((k) => k.name === name)?.ageDays;
            return age === undefined ? (a.ref ? 'unknown' : '—') : `${age} d`;
        }),
        a.ageLimit ? inventory_mode_escape((0,key_age/* describeLimit */.XW)(a.ageLimit)) : 'none',
        a.ref
            ? a.due
                ? `<b>due</b>${a.dueKeys.length ? ` (${a.dueKeys.join(', ')})` : ''}`
                : 'not due'
            : 'left out',
        inventory_mode_escape(usersText(a)),
        ...(vaults ? [inventory_mode_escape(a.secrets.map(describeSecret).join(', ') || '—')] : []),
    ]);
    core/* summary */.z
        .addHeading('Storage accounts used by Azure ML', 2)
        .addRaw(`<p>Subscription ${inventory_mode_escape(inventory.subscriptionId)}${inventory.resourceGroup ? `, resource group ${inventory_mode_escape(inventory.resourceGroup)}` : ''}: ${inventory.workspaces} workspace(s), ${inventory.accounts.length} account(s), ${inventory.accounts.filter((a) => a.due && a.ref).length} due${limit === undefined ? ' (no max-key-age-days: a rotation would regenerate a key on every account)' : ` under max-key-age-days ${limit}`}. Read-only: no key was read or changed.</p>`, true)
        .addTable([
        [
            { data: 'Account', header: true },
            { data: 'Resource group', header: true },
            { data: 'key1 age', header: true },
            { data: 'key2 age', header: true },
            { data: 'Age limit', header: true },
            { data: 'Due', header: true },
            { data: 'Used by', header: true },
            ...(vaults ? [{ data: 'Key Vault secrets', header: true }] : []),
        ],
        ...rows,
    ]);
    if (inventory.uninspected.length > 0) {
        core/* summary */.z.addRaw(`<p>Could not be inspected: ${inventory.uninspected.map((u) => `${inventory_mode_escape(u.name)} (${inventory_mode_escape(u.reason)}${u.effect ? `: ${inventory_mode_escape(u.effect)}` : ''})`).join('; ')}</p>`, true);
    }
    if (vaults)
        core/* summary */.z.addRaw(vaultParagraphs(vaults), true);
    await core/* summary */.z.write();
}
/** The secrets of accounts no workspace uses, and the named secrets of no account it can tell. */
function vaultParagraphs(vaults) {
    const paragraphs = [];
    if (vaults.otherAccounts.length > 0) {
        const accounts = vaults.otherAccounts.map((o) => `${inventory_mode_escape(o.account)}: ${inventory_mode_escape(o.secrets.map(describeSecret).join(', '))}`);
        paragraphs.push(`<p>Key Vault secrets of accounts no Azure ML workspace uses (not in the matrix): ${accounts.join('; ')}.</p>`);
    }
    if (vaults.unassigned.length > 0) {
        const secrets = vaults.unassigned.map((u) => `${inventory_mode_escape(`${u.secret.vault}/${u.secret.name}`)} (${inventory_mode_escape(u.reason)})`);
        paragraphs.push(`<p>Named secrets in no job's key-vaults: ${secrets.join('; ')}.</p>`);
    }
    if (vaults.everyJob.length > 0) {
        paragraphs.push(`<p>Every job's key-vaults also names ${inventory_mode_escape(vaults.everyJob.join(', '))}: the inventory could not list its secrets, so each rotation looks there itself.</p>`);
    }
    return paragraphs.join('\n');
}
function failureMessage(error, inputs) {
    if (error instanceof Error && error.name === 'InputError')
        return error.message;
    if (inputs &&
        error instanceof Error &&
        /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(error.name)) {
        const reasons = (0,credential/* loginFailureReasons */.Nq)(error)
            .map((reason) => (0,secrets/* redact */.E$)(reason))
            .join(' ');
        return `Login failed using ${(0,credential/* describeLogin */.Hf)(inputs.login)}: ${reasons} ${(0,credential/* loginHint */.t$)(inputs.login)}`;
    }
    const forbidden = error?.statusCode === 403;
    const hint = forbidden
        ? ' The inventory needs read permission on the subscription (the Reader role).'
        : '';
    return `The inventory failed: ${(0,secrets/* describeError */.Uc)(error)}${hint}`;
}


/***/ })

};
