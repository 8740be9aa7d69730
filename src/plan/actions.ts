// What the plan does to each consumer, in words: the report's "planned action" column.
import type { KeyName } from '../azure/port.js';
import type { Consumer } from '../discover/inventory.js';
import { breaksUnknown, liveSigner } from './sas.js';

export function plannedAction(
  c: Consumer,
  moves: string[] | undefined,
  regenerated: KeyName[],
  breaks: boolean,
): string {
  if (c.holds === 'unknown') {
    // A Key Vault secret is managed, yet what cannot be read cannot be re-keyed either.
    const where = c.inScope ? '' : ', outside the managed workspaces';
    return breaks
      ? `MAY BREAK: its secret could not be read (${c.unread ?? 'unknown'}), so it may hold ${regenerated.join(' or ')}, which is regenerated${where}`
      : `none: its secret could not be read (${c.unread ?? 'unknown'})${where}`;
  }
  if (c.auth === 'Sas') return sasAction(c, moves, regenerated);
  if (moves) return `move to ${moves.join(', then ')}`;
  if (breaks)
    return `BREAKS: holds ${c.holds}, which is regenerated, outside the managed workspaces`;
  if (!c.inScope) return 'none: outside the managed workspaces';
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
function sasAction(c: Consumer, moves: string[] | undefined, regenerated: KeyName[]): string {
  if (moves) return `renew: re-issue its SAS token signed by ${moves.join(', then ')}`;
  const signer = liveSigner(c);
  const outside = c.inScope ? '' : ', outside the managed workspaces';
  if (signer && regenerated.includes(signer)) {
    return `BREAKS: its SAS token is signed by ${signer}, which is regenerated${outside}`;
  }
  const sas = c.sas;
  if (breaksUnknown(c, regenerated)) {
    return `BREAKS: which key signed its SAS token is unknown${sas?.reason ? ` (${sas.reason})` : ''}, and both keys are regenerated${outside}`;
  }
  const where = c.inScope ? '' : ' (outside the managed workspaces)';
  if (!sas || sas.signedBy === 'unknown') {
    return `none: which key signed its SAS token is unknown${sas?.reason ? ` (${sas.reason})` : ''}${where}`;
  }
  if (sas.signedBy === 'user delegation') {
    return `none: user delegation SAS, unaffected by the account keys${where}`;
  }
  if (sas.expired) return `none: its SAS token has expired (already broken)${where}`;
  if (sas.signedBy === 'neither') {
    return `none: its SAS token is signed by neither key (already broken)${where}`;
  }
  return `none: its SAS token is signed by ${sas.signedBy}, which stays${where}`;
}
