export const id = 757;
export const ids = [757];
export const modules = {

/***/ 3757:
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
var inputs = __webpack_require__(3847);
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
    if (problems.length > 0)
        throw new inputs/* InputError */.dz(problems);
    return {
        subscriptionId,
        resourceGroup: resourceGroup || undefined,
        maxKeyAgeDays,
        concurrency,
        cloud: cloud,
        login,
    };
}

// EXTERNAL MODULE: ./src/plan/key-age.ts
var key_age = __webpack_require__(9606);
// EXTERNAL MODULE: ./src/util/secrets.ts
var secrets = __webpack_require__(4537);
// EXTERNAL MODULE: ./src/azure/port.ts
var port = __webpack_require__(5488);
// EXTERNAL MODULE: ./src/util/concurrency.ts
var concurrency = __webpack_require__(3731);
// EXTERNAL MODULE: ./src/consumers/index.ts + 3 modules
var consumers = __webpack_require__(6869);
// EXTERNAL MODULE: ./src/util/resource-id.ts
var resource_id = __webpack_require__(1562);
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
    return {
        subscriptionId,
        resourceGroup,
        maxKeyAgeDays: inputs.maxKeyAgeDays,
        observedAt: now.toISOString(),
        workspaces: workspaces.length,
        accounts: accounts.sort((a, b) => a.name.localeCompare(b.name)),
        uninspected: uninspected.sort((a, b) => a.name.localeCompare(b.name)),
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
        return { name, keys: [], dueKeys: [], due: false, users: sortedUsers, unresolved };
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
/** The `strategy.matrix` value for the accounts (`fromJSON` of it), in the order given. */
function matrixOf(accounts) {
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
        const all = matrixOf(inventory.accounts);
        const due = matrixOf(inventory.accounts.filter((a) => a.due));
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
            core/* warning */.$e(`Could not inspect ${place.name}: ${place.reason} Its accounts may be missing.`);
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
        core/* info */.pq(`${account.name} (${where}): ${ages || 'keys unknown'}; ${due}; ${usersText(account)}`);
    }
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
        ],
        ...rows,
    ]);
    if (inventory.uninspected.length > 0) {
        core/* summary */.z.addRaw(`<p>Could not be inspected: ${inventory.uninspected.map((u) => `${inventory_mode_escape(u.name)} (${inventory_mode_escape(u.reason)})`).join('; ')}</p>`, true);
    }
    await core/* summary */.z.write();
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
