import type { KeyVaultScenario } from '../scenario-types.js';

export type { KeyVaultScenario, SecretScenario, SecretValueScenario } from '../scenario-types.js';

export function keyVaultProblems(
  vaults: KeyVaultScenario[] | undefined,
  accounts: Set<string>,
): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const vault of vaults ?? []) {
    const name = vault.name?.toLowerCase();
    if (!name || !vault.resourceGroup) problems.push('a key vault needs name and resourceGroup');
    else if (names.has(name)) problems.push(`key vault ${vault.name} appears twice`);
    names.add(name);
    const secrets = new Set<string>();
    for (const secret of vault.secrets ?? []) {
      const where = `secret ${vault.name}/${secret.name}`;
      if (!secret.name || !/^[0-9a-zA-Z-]{1,127}$/.test(secret.name))
        problems.push(`${where}: a name of 1-127 letters, digits and dashes is required`);
      if (secrets.has(secret.name?.toLowerCase())) problems.push(`${where} appears twice`);
      secrets.add(secret.name?.toLowerCase());
      const value = secret.value as Record<string, unknown> | undefined;
      const held = value?.key ?? value?.connectionString;
      if (held === undefined && typeof value?.text !== 'string')
        problems.push(`${where}: value must be {key}, {connectionString} or {text}`);
      else if (held !== undefined && !['key1', 'key2', 'stale'].includes(held as string))
        problems.push(`${where}: the key held must be key1, key2 or stale, not ${String(held)}`);
      if (secret.account !== undefined && !accounts.has(secret.account.toLowerCase()))
        problems.push(`${where}: unknown account ${secret.account}`);
    }
  }
  return problems;
}
