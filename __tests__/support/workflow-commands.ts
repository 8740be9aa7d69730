/**
 * What a GitHub runner reads back from an action: file commands (GITHUB_OUTPUT and friends) and the
 * workflow commands in its log (`::error file=a.ts,line=3::message`).
 */

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  properties: Record<string, string>;
}

const ANNOTATION_LEVELS: readonly string[] = ['error', 'warning', 'notice'];
const COMMAND_LINE = /^::([A-Za-z][\w-]*)(?: ([^:]*))?::(.*)$/;
const HEREDOC_START = /^([^=]+?)<<(.+)$/;

/**
 * Parses a file-command file the way the runner does: `name=value` lines and
 * `name<<DELIMITER` … `DELIMITER` heredocs (what @actions/core writes, with
 * `ghadelimiter_<uuid>` delimiters). A later value for a name replaces an earlier one.
 */
export function parseFileCommandOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    const heredoc = HEREDOC_START.exec(line);
    if (heredoc) {
      const [, name = '', delimiter = ''] = heredoc;
      const end = lines.indexOf(delimiter, index + 1);
      if (end < 0) {
        throw new Error(`file command '${name}' opens a heredoc that is never closed`);
      }
      outputs[name] = lines.slice(index + 1, end).join('\n');
      index = end;
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0)
      throw new Error(`file command line ${index + 1} is neither name=value nor name<<delimiter`);
    outputs[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return outputs;
}

/** Every `::command …::message` line of a log, with @actions/core's escaping undone. */
export function parseWorkflowCommands(log: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of log.split(/\r?\n/)) {
    const match = COMMAND_LINE.exec(line);
    if (!match) continue;
    const [, command = '', rawProperties = '', message = ''] = match;
    commands.push({
      command,
      properties: parseCommandProperties(rawProperties),
      message: unescapeCommandValue(message),
    });
  }
  return commands;
}

/** The `::error::`, `::warning::` and `::notice::` lines of a log. */
export function parseAnnotations(log: string): Annotation[] {
  return parseWorkflowCommands(log)
    .filter((command) => ANNOTATION_LEVELS.includes(command.command))
    .map(({ command, message, properties }) => ({
      level: command as AnnotationLevel,
      message,
      properties,
    }));
}

/** The values registered with `::add-mask::`: the runner hides these from the job log. */
export function parseMaskedValues(log: string): string[] {
  return parseWorkflowCommands(log)
    .filter((command) => command.command === 'add-mask')
    .map((command) => command.message);
}

/** The log as a runner receives it, less the `::add-mask::` lines it consumes and never shows. */
export function withoutMaskCommands(log: string): string {
  return log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

function parseCommandProperties(raw: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    properties[pair.slice(0, equals).trim()] = unescapeCommandProperty(pair.slice(equals + 1));
  }
  return properties;
}

function unescapeCommandValue(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeCommandProperty(value: string): string {
  return unescapeCommandValue(value.replace(/%3A/g, ':').replace(/%2C/g, ','));
}
