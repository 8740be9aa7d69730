// Run in a child process (NODE_EXTRA_CA_CERTS is read at start): the action's port against the
// emulator's vaults, each step's result printed as one JSON line for key-vault-port.test.ts.
import { ClientSecretCredential } from '@azure/identity';
import { createArmPort } from '../../src/azure/arm.js';
import { cloudByName } from '../../src/azure/cloud.js';
import { describeError } from '../../src/util/secrets.js';

const env = (name: string) => process.env[name] ?? '';
const credential = new ClientSecretCredential(env('EMU_TENANT'), 'app-id', 'not-a-real-secret', {
  authorityHost: env('EMU_URL'),
  disableInstanceDiscovery: true,
});
const azure = createArmPort(credential, cloudByName('AzureCloud', env('EMU_URL')));
const out = (step: string, result: unknown) => console.log(JSON.stringify({ step, result }));
const failure = (error: unknown) => ({
  statusCode: (error as { statusCode?: number }).statusCode,
  message: describeError(error),
});

const vaults = await azure.listVaults(env('EMU_SUB'));
out('listVaults', vaults);
const ref = vaults.find((v) => v.ref.name === 'kv-apps')!.ref;
const vault = await azure.getVault(ref);
out('getVault', vault);
out('listSecretProperties', await azure.listSecretProperties(vault.uri));
const current = await azure.getSecret(vault.uri, 'storage-key');
out('getSecret', current);
const written = await azure.setSecret(vault.uri, 'storage-key', {
  value: env('NEW_VALUE'),
  contentType: 'text/plain',
  tags: { ...current.properties.tags, CredentialId: 'key1' },
  expiresOn: new Date('2030-01-01T00:00:00Z'),
});
out('setSecret', written);
out('readBack', await azure.getSecret(vault.uri, 'storage-key', written.version));
out('oldVersion', await azure.getSecret(vault.uri, 'storage-key', current.properties.version));
out('forbidden', await azure.getSecret(vault.uri, 'locked').catch(failure));
const policyVault = await azure.getVault(vaults.find((v) => v.ref.name === 'kv-policy')!.ref);
out('policyVault', policyVault);
out('policyList', await azure.listSecretProperties(policyVault.uri).catch(failure));
out('policySet', await azure.setSecret(policyVault.uri, 'x', { value: 'y' }).catch(failure));
