import { existsSync, readFileSync } from 'node:fs';

/** One input as action.yml declares it. */
export interface DeclaredInput {
  name: string;
  default?: string;
}

const TOP_LEVEL_KEY = /^(\S[^:]*):/;
const INPUT_NAME = /^ {2}(['"]?)([\w-]+)\1:\s*$/;
const INPUT_DEFAULT = /^ {4}default:\s*(.*?)\s*$/;

/**
 * The inputs action.yml declares, with their defaults, read the way the runner applies them.
 * Reads only the shape action.yml files use (two-space indents, scalar defaults); an unreadable
 * default fails loudly rather than being silently dropped. Returns undefined if there is no file.
 */
export function readDeclaredInputs(actionYmlPath: string): DeclaredInput[] | undefined {
  if (!existsSync(actionYmlPath)) return undefined;
  const inputs: DeclaredInput[] = [];
  let inInputs = false;
  for (const line of readFileSync(actionYmlPath, 'utf8').split(/\r?\n/)) {
    const topLevel = TOP_LEVEL_KEY.exec(line);
    if (topLevel) {
      inInputs = topLevel[1] === 'inputs';
      continue;
    }
    if (!inInputs) continue;
    const name = INPUT_NAME.exec(line);
    if (name?.[2]) {
      inputs.push({ name: name[2] });
      continue;
    }
    const defaultValue = INPUT_DEFAULT.exec(line);
    const current = inputs.at(-1);
    if (defaultValue && current) current.default = yamlScalar(defaultValue[1] ?? '', current.name);
  }
  return inputs;
}

function yamlScalar(raw: string, inputName: string): string {
  const withoutComment = raw.replace(/\s+#.*$/, '');
  if (/^'.*'$/.test(withoutComment)) return withoutComment.slice(1, -1).replace(/''/g, "'");
  if (/^".*"$/.test(withoutComment)) return JSON.parse(withoutComment) as string;
  // An expression (`${{ github.token }}`) is kept as written: the runner env evaluates the ones it knows.
  if (/^\$\{\{[^}]*\}\}$/.test(withoutComment)) return withoutComment;
  if (/^[|>]/.test(withoutComment) || withoutComment.includes('${{')) {
    throw new Error(
      `action.yml: the harness cannot evaluate the default of input '${inputName}': ${raw}`,
    );
  }
  return withoutComment;
}
