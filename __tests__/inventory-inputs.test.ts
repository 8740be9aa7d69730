import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, parseInputs } from '../src/inputs/inputs.js';
import { parseInventoryInputs } from '../src/inputs/inventory-inputs.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('mode inputs', () => {
  it('inventory needs no storage-account or workspace, and reads what an inventory uses', () => {
    const inputs = parseInventoryInputs(
      reader({ 'max-key-age-days': '90', 'resource-group': 'rg-ml', environment: 'AzureCloud' }),
      { AZURE_SUBSCRIPTION_ID: SUB },
    );
    assert.equal(inputs.subscriptionId, SUB);
    assert.equal(inputs.resourceGroup, 'rg-ml');
    assert.equal(inputs.maxKeyAgeDays, 90);
    assert.equal(inputs.concurrency, 16);
    assert.deepEqual(inputs.login, { kind: 'ambient' });
  });

  it('inventory names every problem at once', () => {
    assert.throws(
      () => parseInventoryInputs(reader({ 'max-key-age-days': '-1', concurrency: '100' }), {}),
      (error: Error) =>
        error instanceof InputError &&
        /subscription-id is required/.test(error.message) &&
        /max-key-age-days '-1'/.test(error.message) &&
        /concurrency '100'/.test(error.message),
    );
  });

  it('a rotation refuses an unknown mode', () => {
    assert.throws(
      () =>
        parseInputs(
          reader({
            mode: 'audit',
            workspace: 'ws-prod',
            'resource-group': 'rg-ml',
            'storage-account': 'mlprodstore',
          }),
          { AZURE_SUBSCRIPTION_ID: SUB },
        ),
      /mode 'audit' is not one of: rotate, inventory/,
    );
  });
});
