import { parseWorkflowCommands } from './workflow-commands.js';

const ANNOTATION_LABELS: Record<string, string> = {
  error: 'Error',
  warning: 'Warning',
  notice: 'Notice',
};

/**
 * Turns an action's raw stdout into what a person sees in the job log, line by line: masked values
 * replaced by ***, groups shown as headings, annotations labelled, `::add-mask::` and `::debug::`
 * lines hidden. Feed it complete lines in order; it remembers masks registered earlier.
 */
export class RunnerLogRenderer {
  private readonly masks: string[] = [];

  /** The displayed form of one stdout line, or undefined if the runner shows nothing for it. */
  render(line: string): string | undefined {
    const [command] = parseWorkflowCommands(line);
    if (!command) return this.mask(line);
    switch (command.command) {
      case 'add-mask':
        if (command.message) this.masks.push(command.message);
        return undefined;
      case 'debug':
      case 'endgroup':
        return undefined;
      case 'group':
        return `▸ ${this.mask(command.message)}`;
      default: {
        const label = ANNOTATION_LABELS[command.command];
        return label ? `${label}: ${this.mask(command.message)}` : this.mask(line);
      }
    }
  }

  private mask(text: string): string {
    return this.masks.reduce((masked, secret) => masked.split(secret).join('***'), text);
  }
}

/** Splits streamed text into complete lines, holding back a trailing partial line. */
export class LineSplitter {
  private pending = '';

  push(text: string): string[] {
    const lines = (this.pending + text).split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    return lines;
  }

  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [rest];
  }
}
