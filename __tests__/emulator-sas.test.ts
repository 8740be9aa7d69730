// The emulator's SAS tokens and how it judges them: every kind and signed version validates under
// its signing key until that key is regenerated (through ARM), user delegation tokens outlive both
// keys, expiry, another container, the account's SAS policy, updated tokens; and the storage SDKs
// agree with it in both directions (its tokens recompute in the SDK; the SDK's validate in it).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobSASPermissions,
  ContainerSASPermissions,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from '@azure/storage-blob';
import {
  FileSASPermissions,
  generateFileSASQueryParameters,
  ShareSASPermissions,
  StorageSharedKeyCredential as FileSharedKeyCredential,
} from '@azure/storage-file-share';
import {
  validateScenario,
  type ConnectionScenario,
  type DatastoreScenario,
  type SasScenario,
  type Scenario,
} from '../emulator/scenario.js';
import type { Emulator, SasResource } from '../emulator/server.js';
import { raw, setUp } from './support/emulator-clients.js';

const ACCOUNT = 'sasstore';
const RG = 'rg-sas';
const WS = 'ws-sas';
const CONTAINER = 'alpha';
const SHARE = 'team-share';
const KEY_VERSIONS = ['2015-04-05', '2018-11-09', '2020-12-06', '2022-11-02', '2026-04-06'];
const KEY_KINDS = ['container', 'blob', 'share', 'file', 'account'] as const;
const DELEGATION_VERSIONS = ['2018-11-09', '2020-02-10', '2020-12-06', '2025-07-05', '2026-04-06'];
const DAY = 86_400_000;
const CONNECTIONS_API = 'api-version=2024-10-01';

function sasDatastore(name: string, sas: SasScenario, extra: Partial<DatastoreScenario> = {}) {
  const onShare = sas.kind === 'share' || sas.kind === 'file';
  return {
    name,
    datastoreType: onShare ? 'AzureFile' : 'AzureBlob',
    account: ACCOUNT,
    ...(onShare ? { fileShareName: SHARE } : { containerName: CONTAINER }),
    credentials: 'Sas',
    sas,
    ...extra,
  } satisfies DatastoreScenario;
}

function scenario(
  datastores: DatastoreScenario[],
  options: {
    connections?: ConnectionScenario[];
    account?: Partial<Scenario['storageAccounts'][0]>;
  } = {},
): Scenario {
  return {
    subscriptionId: '00000000-0000-0000-0000-00000000005a',
    tenantId: '11111111-1111-1111-1111-111111111111',
    storageAccounts: [{ resourceGroup: RG, name: ACCOUNT, ...options.account }],
    workspaces: [
      {
        resourceGroup: RG,
        name: WS,
        storageAccount: ACCOUNT,
        datastores,
        connections: options.connections ?? [],
      },
    ],
    permissions: { actions: ['*'] },
  };
}

const compact = (version: string) => version.replace(/-/g, '');
const tokenFields = (token: string) => new URLSearchParams(token);
const sasConsumerIds = (emulator: Emulator) =>
  emulator
    .consumers()
    .map((consumer) => consumer.id)
    .filter((id) => !id.startsWith('workspace:'));
const invalidSas = (ids: string[]) => ids.filter((id) => !id.startsWith('workspace:')).sort();
const lastEntry = (emulator: Emulator) => emulator.timeline().at(-1)!;

async function regenerate(
  storage: Awaited<ReturnType<typeof setUp>>['storage'],
  keyName: 'key1' | 'key2',
) {
  await storage.storageAccounts.regenerateKey(RG, ACCOUNT, { keyName });
}

describe('emulator SAS tokens', () => {
  it('every kind and signed version validates under its key until that key is regenerated; user delegation outlives both keys', async () => {
    const datastores: DatastoreScenario[] = [
      ...KEY_KINDS.flatMap((kind) =>
        KEY_VERSIONS.map((version) =>
          sasDatastore(`${kind}_${compact(version)}`, { kind, version }),
        ),
      ),
      ...DELEGATION_VERSIONS.map((version) =>
        sasDatastore(`delegated_${compact(version)}`, { kind: 'user delegation', version }),
      ),
      {
        ...sasDatastore('delegated_share', { kind: 'share' }),
        sas: { kind: 'user delegation' },
      },
      sasDatastore('default_blob', {}),
      sasDatastore('signed_key2', { kind: 'container' }, { signedWith: 'key2' }),
    ];
    const connections: ConnectionScenario[] = [
      { name: 'conn_account', category: 'AzureBlob', authType: 'SAS', account: ACCOUNT },
      ...(['container', 'blob', 'share', 'file', 'user delegation'] as const).map((kind) => ({
        name: `conn_${kind.replace(' ', '_')}`,
        category: kind === 'share' || kind === 'file' ? 'AzureFile' : 'AzureBlob',
        authType: 'SAS',
        account: ACCOUNT,
        sas: { kind },
      })),
    ];
    const { emulator, storage } = await setUp({ scenario: scenario(datastores, { connections }) });

    // The tokens are what the scenario asked for.
    for (const kind of KEY_KINDS)
      for (const version of KEY_VERSIONS) {
        const fields = tokenFields(emulator.datastore(WS, `${kind}_${compact(version)}`)!.secret!);
        assert.equal(fields.get('sv'), version);
        if (kind === 'account')
          assert.deepEqual([fields.get('ss'), fields.get('srt')], ['bf', 'sco']);
        else
          assert.equal(
            fields.get('sr'),
            { container: 'c', blob: 'b', share: 's', file: 'f' }[kind],
          );
        assert.equal(fields.get('sp'), kind === 'blob' || kind === 'file' ? 'r' : 'rl');
        assert.equal(fields.get('spr'), 'https');
        assert.equal(fields.get('st'), null, 'no st unless startedDaysAgo');
        const expiry = Date.parse(fields.get('se')!);
        assert.ok(Math.abs(expiry - (Date.now() + 365 * DAY)) < 60_000);
      }
    const defaultBlob = tokenFields(emulator.datastore(WS, 'default_blob')!.secret!);
    assert.deepEqual([defaultBlob.get('sv'), defaultBlob.get('sr')], ['2022-11-02', 'c']);
    const delegatedShare = tokenFields(emulator.datastore(WS, 'delegated_share')!.secret!);
    assert.deepEqual(
      [delegatedShare.get('sv'), delegatedShare.get('sr'), delegatedShare.get('sks')],
      ['2025-07-05', 's', 'f'],
    );
    const delegated = tokenFields(emulator.datastore(WS, 'delegated_20201206')!.secret!);
    assert.equal(delegated.get('sktid'), emulator.tenantId);
    for (const field of ['skoid', 'skt', 'ske', 'sks', 'skv']) assert.ok(delegated.get(field));
    assert.equal(
      emulator.connection(WS, 'conn_blob')!.properties.target,
      `https://${ACCOUNT}.blob.core.windows.net/data/data/file.csv`,
    );
    assert.equal(
      emulator.connection(WS, 'conn_share')!.properties.target,
      `https://${ACCOUNT}.file.core.windows.net/share`,
    );

    // Who signed what, and every SAS consumer valid at the start.
    const signers = new Map<string, string | undefined>();
    for (const datastore of datastores)
      signers.set(
        `datastore:${WS}/${datastore.name}`,
        emulator.sas(`datastore:${WS}/${datastore.name}`)?.signedWith,
      );
    for (const connection of connections)
      signers.set(
        `connection:${WS}/${connection.name}`,
        emulator.sas(`connection:${WS}/${connection.name}`)?.signedWith,
      );
    const delegatedIds = [...signers]
      .filter(([, by]) => by === 'user delegation')
      .map(([id]) => id);
    const key1Ids = [...signers].filter(([, by]) => by === 'key1').map(([id]) => id);
    assert.deepEqual(
      [...signers].filter(([, by]) => by === 'key2').map(([id]) => id),
      [`datastore:${WS}/signed_key2`],
    );
    assert.equal(delegatedIds.length, DELEGATION_VERSIONS.length + 2);
    assert.equal(key1Ids.length, signers.size - delegatedIds.length - 1);
    assert.deepEqual(sasConsumerIds(emulator).sort(), [...signers.keys()].sort());
    assert.deepEqual(invalidSas(emulator.invalidConsumers()), []);
    for (const [id] of signers)
      assert.equal(
        emulator.holds(ACCOUNT, secretOf(emulator, id)),
        signers.get(id) === 'user delegation' ? 'stale' : signers.get(id),
      );

    // Regenerating key2 breaks only the token it signed; key1 then breaks every other key-signed one.
    await regenerate(storage, 'key2');
    assert.equal(lastEntry(emulator).event, `regenerateKey ${ACCOUNT} key2`);
    assert.deepEqual(invalidSas(lastEntry(emulator).invalid), [`datastore:${WS}/signed_key2`]);
    await regenerate(storage, 'key1');
    assert.equal(lastEntry(emulator).event, `regenerateKey ${ACCOUNT} key1`);
    assert.deepEqual(
      invalidSas(lastEntry(emulator).invalid),
      [...key1Ids, `datastore:${WS}/signed_key2`].sort(),
    );
    assert.equal(
      emulator.sas(`datastore:${WS}/container_20150405`)?.reason,
      'the signature matches no current key',
    );
    // Both keys are new now; user delegation tokens don't depend on them.
    for (const id of delegatedIds) {
      const verdict = emulator.sas(id);
      assert.deepEqual([id, verdict?.valid, verdict?.signedWith], [id, true, 'user delegation']);
    }
  });

  it('an expired token, a stale key, a token not yet valid and a malformed token are invalid', async () => {
    const { emulator, storage } = await setUp({
      scenario: scenario([
        sasDatastore('expired', { kind: 'container', expiresInDays: -1 }),
        sasDatastore('expired_delegation', { kind: 'user delegation', expiresInDays: -1 }),
        sasDatastore('stale', { kind: 'container' }, { signedWith: 'stale' }),
        sasDatastore('stale_delegation', { kind: 'user delegation' }, { signedWith: 'stale' }),
        sasDatastore('fresh', { kind: 'container', startedDaysAgo: 1, expiresInDays: 1 }),
      ]),
    });
    const initial = emulator.timeline()[0]!;
    assert.equal(initial.event, 'initial');
    assert.deepEqual(invalidSas(initial.invalid), [
      `datastore:${WS}/expired`,
      `datastore:${WS}/expired_delegation`,
      `datastore:${WS}/stale`,
      `datastore:${WS}/stale_delegation`,
    ]);
    assert.deepEqual(emulator.sas(`datastore:${WS}/expired`), {
      valid: false,
      signedWith: 'key1',
      reason: 'expired',
    });
    assert.equal(emulator.sas(`datastore:${WS}/stale`)?.signedWith, undefined);
    assert.deepEqual(emulator.sas(`datastore:${WS}/stale_delegation`), {
      valid: false,
      reason: 'the signature matches no user delegation key the service issued',
    });
    assert.equal(emulator.holds(ACCOUNT, emulator.datastore(WS, 'stale')!.secret), 'stale');

    const fresh = emulator.datastore(WS, 'fresh')!.secret!;
    const resource: SasResource = { service: 'blob', container: CONTAINER };
    const notYet = resign(emulator, fresh, { st: new Date(Date.now() + DAY) });
    assert.equal(emulator.checkSas(ACCOUNT, notYet, resource).reason, 'not yet valid (st)');
    for (const malformed of [
      '',
      'sv=2022-11-02',
      `${fresh}&sig=again`,
      fresh.replace('sig=', 'sig=%E0%A4%A'),
    ])
      assert.deepEqual(emulator.checkSas(ACCOUNT, malformed, resource), {
        valid: false,
        reason: 'malformed token',
      });

    // A datastore PUT with a malformed token: refused by validation, stored with skipValidation.
    const body = sasBody(CONTAINER, 'sv=2022-11-02&sr=c&sig=%%%');
    const refused = await raw(emulator, 'PUT', datastorePath(emulator, 'fresh'), { body });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'UserError');
    assert.match(refused.body.error.message, /malformed token/);
    const stored = await raw(emulator, 'PUT', `${datastorePath(emulator, 'fresh', true)}`, {
      body,
    });
    assert.equal(stored.status, 200);
    assert.equal(lastEntry(emulator).event, `datastore ${WS}/fresh updated`);
    assert.ok(lastEntry(emulator).invalid.includes(`datastore:${WS}/fresh`));
    await regenerate(storage, 'key2');
    assert.ok(lastEntry(emulator).invalid.includes(`datastore:${WS}/fresh`));
  });

  it('a token is for one container (or share, blob, file): on another it does not validate', async () => {
    const { emulator, ml } = await setUp({
      scenario: scenario([
        sasDatastore('alpha', { kind: 'container' }),
        sasDatastore('beta', { kind: 'container' }, { containerName: 'beta' }),
        sasDatastore('one_blob', { kind: 'blob', path: 'raw/2026/data.parquet' }),
        sasDatastore('one_file', { kind: 'file' }),
      ]),
    });
    const alpha = emulator.datastore(WS, 'alpha')!.secret!;
    const oneBlob = emulator.datastore(WS, 'one_blob')!.secret!;
    const oneFile = emulator.datastore(WS, 'one_file')!.secret!;
    const check = (token: string, resource: SasResource) =>
      emulator.checkSas(ACCOUNT, token, resource);
    assert.equal(check(alpha, { service: 'blob', container: 'alpha' }).valid, true);
    assert.equal(check(alpha, { service: 'blob', container: 'beta' }).valid, false);
    assert.equal(check(alpha, { service: 'file', container: 'alpha' }).valid, false);
    assert.equal(
      check(oneBlob, { service: 'blob', container: CONTAINER, path: 'raw/2026/data.parquet' })
        .valid,
      true,
    );
    assert.equal(
      check(oneBlob, { service: 'blob', container: CONTAINER, path: 'raw/2026/other.parquet' })
        .valid,
      false,
    );
    assert.equal(check(oneBlob, { service: 'blob', container: CONTAINER }).valid, false);
    assert.equal(
      check(oneFile, { service: 'file', container: SHARE, path: 'data/file.csv' }).valid,
      true,
    );

    // The ML service refuses alpha's token for beta; with skipValidation it is stored, and beta is broken.
    const refused = await raw(emulator, 'PUT', datastorePath(emulator, 'beta'), {
      body: sasBody('beta', alpha),
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /SAS token/);
    assert.deepEqual(invalidSas(emulator.invalidConsumers()), []);
    await ml.datastores.createOrUpdate(RG, WS, 'beta', sasBody('beta', alpha), {
      skipValidation: true,
    });
    assert.deepEqual(invalidSas(lastEntry(emulator).invalid), [`datastore:${WS}/beta`]);
    assert.equal(
      emulator.holds(ACCOUNT, alpha),
      'key1',
      'holds reads the resource the token was issued for',
    );
  });

  it('a Block SAS policy refuses a token valid longer than the period (se − st) or without st; Log refuses nothing', async () => {
    const policed = (action: 'Log' | 'Block') => [
      sasDatastore(`${action}_long`, { kind: 'container', startedDaysAgo: 1, expiresInDays: 365 }),
      sasDatastore(`${action}_short`, { kind: 'container', startedDaysAgo: 1, expiresInDays: 29 }),
      sasDatastore(`${action}_no_start`, { kind: 'container', expiresInDays: 1 }),
      sasDatastore(`${action}_delegated_long`, {
        kind: 'user delegation',
        startedDaysAgo: 1,
        expiresInDays: 60,
      }),
    ];
    for (const action of ['Log', 'Block'] as const) {
      const sasPolicy = { sasExpirationPeriod: '30.00:00:00', expirationAction: action };
      const { emulator, storage } = await setUp({
        scenario: scenario(policed(action), { account: { sasPolicy } }),
      });
      const account = await storage.storageAccounts.getProperties(RG, ACCOUNT);
      assert.deepEqual(account.sasPolicy, sasPolicy);
      const invalid = invalidSas(emulator.timeline()[0]!.invalid);
      if (action === 'Log') {
        assert.deepEqual(invalid, []);
        continue;
      }
      assert.deepEqual(invalid, [
        `datastore:${WS}/Block_delegated_long`,
        `datastore:${WS}/Block_long`,
        `datastore:${WS}/Block_no_start`,
      ]);
      assert.match(
        emulator.sas(`datastore:${WS}/Block_long`)!.reason!,
        /SAS policy \(Block\): valid for longer/,
      );
      assert.match(emulator.sas(`datastore:${WS}/Block_no_start`)!.reason!, /no signed start/);
    }
    const { storage } = await setUp({ scenario: scenario([]) });
    const plain = await storage.storageAccounts.getProperties(RG, ACCOUNT);
    assert.equal(plain.sasPolicy, undefined);
  });

  it('without Shared Key access only user delegation tokens get in', async () => {
    const { emulator } = await setUp({
      scenario: scenario(
        [
          sasDatastore('keyed', { kind: 'container' }),
          sasDatastore('delegated', { kind: 'user delegation' }),
        ],
        { account: { allowSharedKeyAccess: false } },
      ),
    });
    assert.deepEqual(invalidSas(emulator.invalidConsumers()), [`datastore:${WS}/keyed`]);
    assert.equal(
      emulator.sas(`datastore:${WS}/keyed`)?.reason,
      'the account does not allow Shared Key authorization',
    );
  });

  it('an updated token is judged from then on; listSecrets returns it byte for byte; tokens and signatures are secrets', async () => {
    const { emulator, ml, storage } = await setUp({
      scenario: scenario([sasDatastore('exports', { kind: 'container', version: '2018-11-09' })], {
        connections: [
          {
            name: 'lake',
            category: 'AzureBlob',
            authType: 'SAS',
            target: `https://${ACCOUNT}.blob.core.windows.net/${CONTAINER}`,
            sas: { kind: 'container' },
          },
        ],
      }),
    });
    for (const token of [
      emulator.datastore(WS, 'exports')!.secret!,
      emulator.connection(WS, 'lake')!.secret!,
    ]) {
      assert.ok(emulator.secrets().includes(token));
      assert.ok(emulator.secrets().includes(tokenFields(token).get('sig')!), 'the signature alone');
    }

    // A token the caller made (SDK, key2, odd but valid percent-encoding) replaces the datastore's.
    const key2 = new StorageSharedKeyCredential(ACCOUNT, emulator.keys(ACCOUNT).key2);
    const sdkToken = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        permissions: ContainerSASPermissions.parse('rl'),
        startsOn: new Date(Date.now() - DAY),
        expiresOn: new Date(Date.now() + 7 * DAY),
        version: '2020-12-06',
      },
      key2,
    ).toString();
    const renewed = sdkToken.replace(/%3A/g, ':');
    assert.notEqual(renewed, sdkToken);
    await ml.datastores.createOrUpdate(RG, WS, 'exports', sasBody(CONTAINER, renewed));
    const secrets = await ml.datastores.listSecrets(RG, WS, 'exports');
    assert.deepEqual(secrets, { secretsType: 'Sas', sasToken: renewed });
    assert.deepEqual(emulator.sas(`datastore:${WS}/exports`), { valid: true, signedWith: 'key2' });
    assert.ok(emulator.secrets().includes(decodeURIComponent(tokenFields(renewed).get('sig')!)));

    const lakeUrl = `/subscriptions/${emulator.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WS}/connections/lake`;
    const patched = await raw(emulator, 'PATCH', `${lakeUrl}?${CONNECTIONS_API}`, {
      body: { properties: { authType: 'SAS', credentials: { sas: `?${renewed}` } } },
    });
    assert.equal(patched.status, 200);
    const listed = await raw(emulator, 'POST', `${lakeUrl}/listsecrets?${CONNECTIONS_API}`);
    assert.deepEqual(listed.body.properties.credentials, { sas: `?${renewed}` });
    assert.equal(emulator.sas(`connection:${WS}/lake`)?.signedWith, 'key2');

    await regenerate(storage, 'key1');
    assert.deepEqual(invalidSas(lastEntry(emulator).invalid), []);
    await regenerate(storage, 'key2');
    assert.deepEqual(invalidSas(lastEntry(emulator).invalid), [
      `connection:${WS}/lake`,
      `datastore:${WS}/exports`,
    ]);
  });

  it('a token that expires between events is invalid in the timeline from the next event on', async () => {
    const { emulator, ml } = await setUp({
      scenario: scenario(
        [
          sasDatastore('short_lived', { kind: 'container', expiresInDays: 1.5 / 86_400 }),
          sasDatastore('other', { kind: 'container' }),
        ],
        {
          connections: [
            {
              name: 'short_lived_conn',
              category: 'AzureBlob',
              authType: 'SAS',
              target: `https://${ACCOUNT}.blob.core.windows.net/`,
              metadata: { ContainerName: CONTAINER },
              sas: { kind: 'user delegation', expiresInDays: 1.5 / 86_400 },
            },
          ],
        },
      ),
    });
    // Both valid when the emulator started (the connection's container from metadata ContainerName);
    // asked later, the answer would depend on how long the start took.
    assert.deepEqual(invalidSas(emulator.timeline()[0]!.invalid), []);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    // An event on another consumer: the expired ones are re-checked too, nothing else.
    const other = emulator.datastore(WS, 'other')!.secret!;
    await ml.datastores.createOrUpdate(RG, WS, 'other', sasBody(CONTAINER, other));
    assert.equal(lastEntry(emulator).event, `datastore ${WS}/other updated`);
    assert.deepEqual(invalidSas(lastEntry(emulator).invalid), [
      `connection:${WS}/short_lived_conn`,
      `datastore:${WS}/short_lived`,
    ]);
    assert.equal(emulator.sas(`datastore:${WS}/short_lived`)?.reason, 'expired');
  });

  it('ARM listServiceSAS and listAccountSAS issue tokens signed with keyToSign', async () => {
    const { emulator, storage } = await setUp({ scenario: scenario([]) });
    const expiry = new Date(Date.now() + 7 * DAY);
    const container: SasResource = { service: 'blob', container: CONTAINER };
    const { serviceSasToken } = await storage.storageAccounts.listServiceSAS(RG, ACCOUNT, {
      canonicalizedResource: `/blob/${ACCOUNT}/${CONTAINER}`,
      resource: 'c',
      permissions: 'rl',
      sharedAccessExpiryTime: expiry,
      keyToSign: 'key2',
    });
    const { serviceSasToken: fileToken } = await storage.storageAccounts.listServiceSAS(
      RG,
      ACCOUNT,
      {
        canonicalizedResource: `/file/${ACCOUNT}/${SHARE}/dir/file.csv`,
        permissions: 'r',
        sharedAccessExpiryTime: expiry,
      },
    );
    const { accountSasToken } = await storage.storageAccounts.listAccountSAS(RG, ACCOUNT, {
      services: 'b',
      resourceTypes: 'co',
      permissions: 'rl',
      sharedAccessExpiryTime: expiry,
    });
    assert.equal(tokenFields(serviceSasToken!).get('sr'), 'c');
    assert.deepEqual(emulator.checkSas(ACCOUNT, serviceSasToken!, container), {
      valid: true,
      signedWith: 'key2',
    });
    assert.deepEqual(
      emulator.checkSas(ACCOUNT, fileToken!, {
        service: 'file',
        container: SHARE,
        path: 'dir/file.csv',
      }),
      {
        valid: true,
        signedWith: 'key1',
      },
    );
    assert.deepEqual(emulator.checkSas(ACCOUNT, accountSasToken!, container), {
      valid: true,
      signedWith: 'key1',
    });
    assert.equal(
      emulator.checkSas(ACCOUNT, accountSasToken!, { service: 'file', container: SHARE }).valid,
      false,
    );
    for (const token of [serviceSasToken!, fileToken!, accountSasToken!])
      assert.ok(emulator.secrets().includes(token));

    const wrongAccount = await raw(
      emulator,
      'POST',
      `/subscriptions/${emulator.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/${ACCOUNT}/listServiceSas?api-version=2025-08-01`,
      {
        body: { canonicalizedResource: '/blob/otherstore/c', signedExpiry: expiry.toISOString() },
      },
    );
    assert.equal(wrongAccount.status, 400);
    assert.match(
      wrongAccount.body.error.message,
      /canonicalizedResource must be \/blob\/sasstore\//,
    );
    await regenerate(storage, 'key2');
    assert.equal(emulator.checkSas(ACCOUNT, serviceSasToken!, container).valid, false);
    assert.equal(emulator.checkSas(ACCOUNT, accountSasToken!, container).valid, true);
  });

  it('the sas-kinds scenario: one consumer of each kind, signed by key1, key2, a user delegation key, expired, stale', async () => {
    const { emulator } = await setUp({ scenario: 'sas-kinds' });
    const verdicts = Object.fromEntries(
      emulator
        .consumers()
        .filter((consumer) => !consumer.id.startsWith('workspace:'))
        .map((consumer) => [consumer.id.split('/')[1], emulator.sas(consumer.id)]),
    );
    assert.deepEqual(verdicts, {
      workspaceblobstore: undefined,
      exports_container: { valid: true, signedWith: 'key1' },
      report_blob: { valid: true, signedWith: 'key2' },
      team_share: { valid: true, signedWith: 'key2' },
      config_file: { valid: true, signedWith: 'key1' },
      whole_account: { valid: true, signedWith: 'key1' },
      delegated: { valid: true, signedWith: 'user delegation' },
      expired_exports: { valid: false, signedWith: 'key1', reason: 'expired' },
      signed_by_old_key: { valid: false, reason: 'the signature matches no current key' },
      lake_account_sas: { valid: true, signedWith: 'key2' },
      exports_container_sas: { valid: true, signedWith: 'key1' },
    });
  });

  it('scenario fields are checked', () => {
    const bad = scenario(
      [
        sasDatastore(
          'wrong_service',
          { kind: 'share' },
          { datastoreType: 'AzureBlob', containerName: 'x' },
        ),
        sasDatastore('old', { kind: 'container', version: '2013-08-15' }),
        sasDatastore('old_delegation', { kind: 'user delegation', version: '2017-07-29' }),
        sasDatastore('no_container', { kind: 'container' }, { containerName: undefined }),
        sasDatastore('odd', { kind: 'queue' as 'container', expiresInDays: Number.NaN }),
        { ...sasDatastore('keyed', {}), credentials: 'AccountKey' },
      ],
      {
        connections: [
          {
            name: 'root_container',
            category: 'AzureBlob',
            authType: 'SAS',
            target: `https://${ACCOUNT}.blob.core.windows.net/`,
            sas: { kind: 'container' },
          },
        ],
        account: {
          sasPolicy: { sasExpirationPeriod: '30 days', expirationAction: 'Deny' as 'Log' },
        },
      },
    );
    const problems = (() => {
      try {
        validateScenario(bad);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const expected of [
      /storage account sasstore: sasPolicy.sasExpirationPeriod must be d.hh:mm:ss/,
      /sasPolicy.expirationAction must be Log or Block/,
      /wrong_service: a share SAS is for file, the consumer uses blob/,
      /old: sas.version must be a signed version from 2015-04-05/,
      /old_delegation: sas.version must be a signed version from 2018-11-09/,
      /no_container: a Sas datastore's token is for its containerName, which is missing/,
      /odd: sas.kind must be one of/,
      /odd: sas.expiresInDays must be a number of days/,
      /keyed: sas is for Sas datastores only/,
      /root_container: a container SAS needs a target with a container or share/,
    ])
      assert.match(problems, expected);
  });
});

describe('emulator SAS and the storage SDKs', () => {
  const startsOn = new Date(Math.floor(Date.now() / 1000) * 1000 - DAY);
  const expiresOn = new Date(startsOn.getTime() + 10 * DAY);

  it('tokens made by @azure/storage-blob and @azure/storage-file-share with the account key validate; with another key they do not', async () => {
    const { emulator } = await setUp({ scenario: scenario([]) });
    const key1 = emulator.keys(ACCOUNT).key1;
    const otherKey = randomBytes(64).toString('base64');
    const blobResource: SasResource = { service: 'blob', container: CONTAINER };
    const oneBlob: SasResource = { ...blobResource, path: 'data/2026/file.csv' };
    const share: SasResource = { service: 'file', container: SHARE };
    const oneFile: SasResource = { ...share, path: 'dir/file.csv' };
    const common = { startsOn, expiresOn, protocol: SASProtocol.Https };

    const made = (key: string) => {
      const blobKey = new StorageSharedKeyCredential(ACCOUNT, key);
      const fileKey = new FileSharedKeyCredential(ACCOUNT, key);
      const tokens: Array<[string, string, SasResource]> = [];
      for (const version of ['2015-04-05', '2018-11-09', '2020-12-06', undefined]) {
        const v = version ?? 'default';
        const container = generateBlobSASQueryParameters(
          {
            ...common,
            containerName: CONTAINER,
            permissions: ContainerSASPermissions.parse('rl'),
            version,
          },
          blobKey,
        );
        const blob = generateBlobSASQueryParameters(
          {
            ...common,
            containerName: CONTAINER,
            blobName: oneBlob.path,
            permissions: BlobSASPermissions.parse('r'),
            ipRange: { start: '10.0.0.1', end: '10.0.0.9' },
            version,
          },
          blobKey,
        );
        const fileShare = generateFileSASQueryParameters(
          { ...common, shareName: SHARE, permissions: ShareSASPermissions.parse('rl'), version },
          fileKey,
        );
        const file = generateFileSASQueryParameters(
          {
            ...common,
            shareName: SHARE,
            filePath: oneFile.path,
            permissions: FileSASPermissions.parse('r'),
            version,
          },
          fileKey,
        );
        tokens.push(
          [`container ${v}`, container.toString(), blobResource],
          [`blob ${v}`, blob.toString(), oneBlob],
          [`share ${v}`, fileShare.toString(), share],
          [`file ${v}`, file.toString(), oneFile],
        );
      }
      for (const version of ['2019-12-12', '2020-12-06', undefined]) {
        const account = generateAccountSASQueryParameters(
          {
            ...common,
            permissions: AccountSASPermissions.parse('rl'),
            services: AccountSASServices.parse('bf').toString(),
            resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
            version,
          },
          blobKey,
        );
        tokens.push([`account ${version ?? 'default'}`, account.toString(), share]);
      }
      return tokens;
    };

    for (const [what, token, resource] of made(key1))
      assert.deepEqual(
        [what, emulator.checkSas(ACCOUNT, token, resource)],
        [what, { valid: true, signedWith: 'key1' }],
      );
    for (const [what, token, resource] of made(otherKey))
      assert.deepEqual(
        [what, emulator.checkSas(ACCOUNT, token, resource)],
        [what, { valid: false, reason: 'the signature matches no current key' }],
      );
  });

  it('user delegation tokens made by the SDKs with the key the service hands out validate; with another key they do not', async () => {
    const { emulator } = await setUp({ scenario: scenario([]) });
    const delegationKey = (service: 'b' | 'f', value?: string): UserDelegationKey => {
      const key = {
        signedObjectId: randomUUID(),
        signedTenantId: emulator.tenantId,
        signedStartsOn: startsOn,
        signedExpiresOn: expiresOn,
        signedService: service,
        signedVersion: '2025-07-05',
      };
      const fields = {
        skoid: key.signedObjectId,
        sktid: key.signedTenantId,
        skt: startsOn.toISOString().replace('.000Z', 'Z'),
        ske: expiresOn.toISOString().replace('.000Z', 'Z'),
        sks: service,
        skv: key.signedVersion,
      };
      return { ...key, value: value ?? emulator.userDelegationKey(ACCOUNT, fields) };
    };
    const blobResource: SasResource = { service: 'blob', container: CONTAINER };
    for (const version of [...DELEGATION_VERSIONS, undefined]) {
      const values = {
        containerName: CONTAINER,
        permissions: ContainerSASPermissions.parse('rl'),
        startsOn,
        expiresOn,
        version,
      };
      const valid = generateBlobSASQueryParameters(values, delegationKey('b'), ACCOUNT).toString();
      assert.deepEqual(
        [version, emulator.checkSas(ACCOUNT, valid, blobResource)],
        [version, { valid: true, signedWith: 'user delegation' }],
      );
      const forged = generateBlobSASQueryParameters(
        values,
        delegationKey('b', randomBytes(32).toString('base64')),
        ACCOUNT,
      );
      assert.equal(emulator.checkSas(ACCOUNT, forged.toString(), blobResource).valid, false);
    }
    const fileValues = {
      shareName: SHARE,
      permissions: ShareSASPermissions.parse('rl'),
      startsOn,
      expiresOn,
      version: '2025-07-05',
    };
    const fileToken = generateFileSASQueryParameters(
      fileValues,
      delegationKey('f'),
      ACCOUNT,
    ).toString();
    assert.deepEqual(emulator.checkSas(ACCOUNT, fileToken, { service: 'file', container: SHARE }), {
      valid: true,
      signedWith: 'user delegation',
    });
  });

  it("the emulator's own tokens recompute to the same signature in the SDKs", async () => {
    const datastores = [
      ...KEY_KINDS.flatMap((kind) =>
        KEY_VERSIONS.map((version) =>
          sasDatastore(`${kind}_${compact(version)}`, {
            kind,
            version,
            startedDaysAgo: 1,
            ip: '10.1.2.3',
          }),
        ),
      ),
      ...DELEGATION_VERSIONS.map((version) =>
        sasDatastore(`delegated_${compact(version)}`, { kind: 'user delegation', version }),
      ),
      {
        ...sasDatastore('delegated_share', { kind: 'share' }),
        sas: { kind: 'user delegation' as const },
      },
    ];
    const { emulator } = await setUp({ scenario: scenario(datastores) });
    const keys = emulator.keys(ACCOUNT);
    for (const datastore of datastores) {
      const token = emulator.datastore(WS, datastore.name)!.secret!;
      const fields = tokenFields(token);
      const again = sdkSignature(fields, keys.key1, (f) => emulator.userDelegationKey(ACCOUNT, f));
      assert.deepEqual([datastore.name, again], [datastore.name, fields.get('sig')]);
    }
  });
});

/** The SDK's signature for the same fields (and, for a user delegation token, the same key). */
function sdkSignature(
  fields: URLSearchParams,
  accountKey: string,
  delegationKeyValue: (
    fields: Record<'skoid' | 'sktid' | 'skt' | 'ske' | 'sks' | 'skv', string>,
  ) => string,
): string {
  const get = (name: string) => fields.get(name) ?? undefined;
  const date = (name: string) => (fields.get(name) ? new Date(fields.get(name)!) : undefined);
  const ip = get('sip');
  const common = {
    startsOn: date('st'),
    expiresOn: date('se'),
    ipRange: ip ? { start: ip } : undefined,
    protocol: get('spr') as SASProtocol | undefined,
    version: get('sv'),
  };
  const sr = get('sr');
  if (!sr)
    return generateAccountSASQueryParameters(
      {
        ...common,
        expiresOn: common.expiresOn!,
        permissions: AccountSASPermissions.parse(get('sp')!),
        services: get('ss')!,
        resourceTypes: get('srt')!,
      },
      new StorageSharedKeyCredential(ACCOUNT, accountKey),
    ).signature;
  const delegation = get('skoid') && {
    signedObjectId: get('skoid')!,
    signedTenantId: get('sktid')!,
    signedStartsOn: date('skt')!,
    signedExpiresOn: date('ske')!,
    signedService: get('sks')!,
    signedVersion: get('skv')!,
    value: delegationKeyValue({
      skoid: get('skoid')!,
      sktid: get('sktid')!,
      skt: get('skt')!,
      ske: get('ske')!,
      sks: get('sks')!,
      skv: get('skv')!,
    }),
  };
  if (sr === 's' || sr === 'f') {
    const values = {
      ...common,
      shareName: SHARE,
      filePath: sr === 'f' ? 'data/file.csv' : undefined,
      permissions:
        sr === 'f' ? FileSASPermissions.parse(get('sp')!) : ShareSASPermissions.parse(get('sp')!),
    };
    return delegation
      ? generateFileSASQueryParameters(values, delegation, ACCOUNT).signature
      : generateFileSASQueryParameters(values, new FileSharedKeyCredential(ACCOUNT, accountKey))
          .signature;
  }
  const values = {
    ...common,
    containerName: CONTAINER,
    blobName: sr === 'b' ? 'data/file.csv' : undefined,
    permissions:
      sr === 'b' ? BlobSASPermissions.parse(get('sp')!) : ContainerSASPermissions.parse(get('sp')!),
  };
  return delegation
    ? generateBlobSASQueryParameters(values, delegation, ACCOUNT).signature
    : generateBlobSASQueryParameters(values, new StorageSharedKeyCredential(ACCOUNT, accountKey))
        .signature;
}

function secretOf(emulator: Emulator, id: string): string | undefined {
  const [kind, rest] = id.split(':') as [string, string];
  const name = rest.split('/')[1]!;
  return kind === 'datastore'
    ? emulator.datastore(WS, name)?.secret
    : emulator.connection(WS, name)?.secret;
}

/** The same token with some fields changed and signed again with key1 (for a blob container). */
function resign(emulator: Emulator, token: string, changes: { st: Date }): string {
  const fields = tokenFields(token);
  return generateBlobSASQueryParameters(
    {
      containerName: CONTAINER,
      permissions: ContainerSASPermissions.parse(fields.get('sp')!),
      startsOn: changes.st,
      expiresOn: new Date(fields.get('se')!),
      protocol: fields.get('spr') as SASProtocol,
      version: fields.get('sv')!,
    },
    new StorageSharedKeyCredential(ACCOUNT, emulator.keys(ACCOUNT).key1),
  ).toString();
}

function datastorePath(emulator: Emulator, name: string, skipValidation = false): string {
  return (
    `/subscriptions/${emulator.subscriptionId}/resourceGroups/${RG}/providers/` +
    `Microsoft.MachineLearningServices/workspaces/${WS}/datastores/${name}` +
    `?api-version=2024-10-01${skipValidation ? '&skipValidation=true' : ''}`
  );
}

function sasBody(containerName: string, sasToken: string) {
  return {
    properties: {
      datastoreType: 'AzureBlob' as const,
      accountName: ACCOUNT,
      containerName,
      credentials: {
        credentialsType: 'Sas' as const,
        secrets: { secretsType: 'Sas' as const, sasToken },
      },
    },
  };
}
