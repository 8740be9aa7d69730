import { looksLikeSecret, maskSecret } from '../util/secrets.js';

/** Inputs that are secrets by design: masked, never checked for looking like one. */
const SECRET_INPUTS = new Set(['github-token']);

/**
 * Wraps an input reader so that a value which looks like a key, a SAS token or a connection
 * string (pasted into the wrong input) is masked and read as empty: no message, summary or
 * report can echo it. `problems` names each such input, without its value.
 */
export function withoutSecretValues(read: (name: string) => string) {
  const hidden: string[] = [];
  const guarded = (name: string): string => {
    const value = read(name);
    if (SECRET_INPUTS.has(name) || !looksLikeSecret(value)) return value;
    maskSecret(value.trim());
    if (!hidden.includes(name)) hidden.push(name);
    return '';
  };
  return {
    read: guarded,
    /** The input problems with those about the hidden inputs replaced by one that names each. */
    problems(found: string[]): string[] {
      const rest = found.filter((p) => !hidden.some((name) => p.startsWith(`${name} is required`)));
      return [
        ...hidden.map(
          (name) =>
            `${name} looks like a key, SAS token or connection string; its value is not shown. Give what the input asks for (see action.yml) and keep secrets out of the workflow file.`,
        ),
        ...rest,
      ];
    },
  };
}

/** The storage-account input as a report may name it: not at all when it looks like a secret. */
export function accountInputForReport(value: string): string {
  if (!looksLikeSecret(value)) return value.trim();
  maskSecret(value.trim());
  return '';
}
