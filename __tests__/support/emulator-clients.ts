// Clients for emulator tests: the real SDK clients the action uses, and raw HTTPS for the rest.
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { StorageManagementClient } from '@azure/arm-storage';
import type { TokenCredential } from '@azure/core-auth';
import assert from 'node:assert/strict';
import https from 'node:https';
import { after } from 'node:test';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/server.js';

export const ARM_SCOPE = 'https://management.azure.com/.default';
const credential: TokenCredential = {
  getToken: async () => ({ token: 'test', expiresOnTimestamp: Date.now() + 3600e3 }),
};

const running: Array<{ emulator: Emulator; agent: https.Agent }> = [];
after(async () => {
  for (const { emulator, agent } of running) {
    agent.destroy();
    await emulator.stop();
  }
});

/** An emulator plus SDK clients that trust its CA through an https.Agent (NODE_EXTRA_CA_CERTS is read only at start). */
export async function setUp(options: StartEmulatorOptions) {
  const emulator = await startEmulator(options);
  const agent = new https.Agent({ ca: emulator.caPem, keepAlive: true });
  running.push({ emulator, agent });
  const retryOptions = { retryDelayInMs: 20, maxRetryDelayInMs: 200 };
  const storage = new StorageManagementClient(credential, emulator.subscriptionId, {
    endpoint: emulator.url,
    credentials: { scopes: [ARM_SCOPE] },
    agent,
    retryOptions,
  });
  const ml = new AzureMachineLearningWorkspaces(credential, emulator.subscriptionId, {
    endpoint: emulator.url,
    credentialScopes: [ARM_SCOPE],
    agent,
    retryOptions,
  });
  return { emulator, storage, ml, agent };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function raw(
  emulator: Emulator,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? 'test'}`;
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${emulator.url}${path}`,
      { method, headers, ca: emulator.caPem },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

export async function rejection(
  promise: Promise<unknown>,
): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; code?: string; message: string };
  }
  assert.fail('expected the call to fail');
}

export const sampleArm = (emulator: Emulator) =>
  `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-ml/providers`;
