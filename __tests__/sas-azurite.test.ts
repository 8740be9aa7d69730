// A storage server agrees with src/sas: Azurite (Microsoft's storage emulator, npm `azurite`) on
// 127.0.0.1 with an account and keys made here accepts the tokens signedBy says a current key
// signed, and refuses the one whose key changed. Azurite runs as a child node under the loopback
// guard, telemetry off, writing only to a temp dir that is removed afterwards.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AnonymousCredential,
  BlobServiceClient,
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { reissue, signedBy, type AccountKeys, type SasResource } from '../src/sas/index.js';
import { NETWORK_GUARD_MODULE } from './support/paths.js';
import { waitFor } from './support/wait.js';

const ACCOUNT = 'mlstorage';
const CONTAINER = 'datasets';
const RESOURCE: SasResource = { service: 'blob', container: CONTAINER };
const HOUR = 3_600_000;

const newKey = () => randomBytes(64).toString('base64');

function azuriteBlobMain(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('azurite/package.json');
    return join(dirname(manifest), 'dist', 'src', 'blob', 'main.js');
  } catch {
    return undefined;
  }
}

interface Azurite {
  /** `http://127.0.0.1:<port>/<account>`, the account's blob endpoint. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Azurite's blob service on a free loopback port, holding ACCOUNT with these keys. */
async function startAzurite(main: string, dir: string, keys: AccountKeys): Promise<Azurite> {
  const args = [
    ...['--import', NETWORK_GUARD_MODULE, main],
    ...['--blobHost', '127.0.0.1', '--blobPort', '0', '--location', dir],
    ...['--disableTelemetry', '--skipApiVersionCheck', '--silent'],
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      AZURITE_ACCOUNTS: `${ACCOUNT}:${keys.key1}:${keys.key2}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new AbortController();
  child.once('exit', () => exited.abort());

  const listening = /listens on (http:\/\/127\.0\.0\.1:\d+)/;
  try {
    await waitFor('Azurite to listen', () => listening.test(output), {
      timeoutMs: 60_000,
      signal: exited.signal,
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`Azurite did not start: ${(error as Error).message}\n${output}`);
  }
  const origin = listening.exec(output)![1]!;
  return {
    endpoint: `${origin}/${ACCOUNT}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exit = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

const NO_RETRIES = { retryOptions: { maxTries: 1 } };

/** Lists the container with the token alone: the blob names, or the HTTP status of the refusal. */
async function listWith(endpoint: string, token: string): Promise<string[] | number> {
  const url = `${endpoint}/${CONTAINER}?${token}`;
  const client = new ContainerClient(url, new AnonymousCredential(), NO_RETRIES);
  try {
    const names: string[] = [];
    for await (const blob of client.listBlobsFlat()) names.push(blob.name);
    return names;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === undefined) throw error;
    return status;
  }
}

const main = azuriteBlobMain();

describe('SAS against Azurite', { skip: main ? false : 'azurite is not installed' }, () => {
  let dir = '';
  let running: Azurite | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sas-azurite-'));
  });

  after(async () => {
    await running?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'accepts the tokens a current key signed and those re-issued by reissue, refuses the one whose key changed',
    { timeout: 180_000 },
    async () => {
      const keys: AccountKeys = { key1: newKey(), key2: newKey() };
      running = await startAzurite(main!, dir, keys);
      const service = new BlobServiceClient(
        running.endpoint,
        new StorageSharedKeyCredential(ACCOUNT, keys.key1),
        NO_RETRIES,
      );
      const container = service.getContainerClient(CONTAINER);
      await container.create();
      await container.getBlockBlobClient('raw/part-1.csv').upload('a,b\n1,2\n', 8);

      const sdkToken = (key: string) =>
        generateBlobSASQueryParameters(
          {
            containerName: CONTAINER,
            permissions: ContainerSASPermissions.parse('rl'),
            expiresOn: new Date(Date.now() + HOUR),
          },
          new StorageSharedKeyCredential(ACCOUNT, key),
        ).toString();
      const byKey1 = sdkToken(keys.key1);
      const byKey2 = sdkToken(keys.key2);
      // Permissions out of canonical order (lr), signed over their literal value, as the SDK never does.
      const se = new Date(Date.now() + HOUR).toISOString().replace(/\.\d+Z$/, 'Z');
      const literal = [
        'lr',
        '',
        se,
        `/blob/${ACCOUNT}/${CONTAINER}`,
        '',
        '',
        '',
        '2019-12-12',
        'c',
      ];
      literal.push('', '', '', '', '', '');
      const signature = createHmac('sha256', Buffer.from(keys.key1, 'base64'))
        .update(literal.join('\n'))
        .digest('base64');
      const byKey1Literal = `sv=2019-12-12&sr=c&sp=lr&se=${encodeURIComponent(se)}&sig=${encodeURIComponent(signature)}`;

      assert.equal(signedBy(byKey1, ACCOUNT, keys, RESOURCE).signedBy, 'key1');
      assert.equal(signedBy(byKey2, ACCOUNT, keys, RESOURCE).signedBy, 'key2');
      assert.equal(signedBy(byKey1Literal, ACCOUNT, keys, RESOURCE).signedBy, 'key1');
      for (const token of [byKey1, byKey2, byKey1Literal]) {
        assert.deepEqual(await listWith(running.endpoint, token), ['raw/part-1.csv']);
      }
      const byOther = sdkToken(newKey());
      assert.equal(signedBy(byOther, ACCOUNT, keys, RESOURCE).signedBy, 'neither');
      assert.equal(await listWith(running.endpoint, byOther), 403);

      // The key1 tokens re-issued by key2 (the same fields, a new signature): Azurite takes them.
      const renew = (token: string) => {
        const renewed = reissue(token, ACCOUNT, keys.key2, RESOURCE);
        assert.ok(renewed.ok, renewed.ok ? '' : renewed.reason);
        return renewed.token;
      };
      const renewed = [renew(byKey1), renew(byKey1Literal)];
      for (const token of renewed) {
        assert.equal(signedBy(token, ACCOUNT, keys, RESOURCE).signedBy, 'key2');
        assert.deepEqual(await listWith(running.endpoint, token), ['raw/part-1.csv']);
      }

      // key1 regenerated: the same account and data, a new key1.
      await running.stop();
      const rotated: AccountKeys = { key1: newKey(), key2: keys.key2 };
      running = await startAzurite(main!, dir, rotated);

      assert.equal(signedBy(byKey1, ACCOUNT, rotated, RESOURCE).signedBy, 'neither');
      assert.equal(signedBy(byKey1Literal, ACCOUNT, rotated, RESOURCE).signedBy, 'neither');
      assert.equal(signedBy(byKey2, ACCOUNT, rotated, RESOURCE).signedBy, 'key2');
      assert.equal(await listWith(running.endpoint, byKey1), 403);
      assert.equal(await listWith(running.endpoint, byKey1Literal), 403);
      assert.deepEqual(await listWith(running.endpoint, byKey2), ['raw/part-1.csv']);
      // The re-issued tokens outlive key1: what sas: renew relies on.
      for (const token of renewed) {
        assert.equal(signedBy(token, ACCOUNT, rotated, RESOURCE).signedBy, 'key2');
        assert.deepEqual(await listWith(running.endpoint, token), ['raw/part-1.csv']);
      }
    },
  );
});
