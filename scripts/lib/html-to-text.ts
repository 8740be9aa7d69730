// The job summary as plain text for a terminal: headings underlined, tables aligned in columns
// (cells wrapped to fit the width; one record per row when even that is too wide), lists with
// bullets or numbers, <details> folded to their summary line as GitHub shows them (or unfolded),
// entities decoded, emoji counted two columns wide. Links show their text only.
import { parseHtml, summaryToHtml, type HtmlElement, type HtmlNode } from './html.js';
import { displayWidth, pad, wrap } from './text-width.js';

export interface TextOptions {
  /** Columns available (default 100). */
  width?: number;
  /** Bold headings and table headers with ANSI escapes (default false). */
  color?: boolean;
  /**
   * Show the content of every <details>. Default false: as on GitHub, a <details> without `open`
   * shows its summary line only, here with how many lines it folds.
   */
  unfold?: boolean;
}

interface Context {
  width: number;
  color: boolean;
  unfold: boolean;
}

/** Renders a GITHUB_STEP_SUMMARY file's content (markdown with HTML) as text lines. */
export function summaryToText(summary: string, options: TextOptions = {}): string {
  return htmlToText(summaryToHtml(summary), options);
}

export function htmlToText(html: string, options: TextOptions = {}): string {
  const context: Context = {
    width: Math.max(20, options.width ?? 100),
    color: options.color ?? false,
    unfold: options.unfold ?? false,
  };
  return blocks(parseHtml(html), context).join('\n');
}

const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'nav', 'aside',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'details', 'summary', 'pre', 'blockquote', 'hr', 'figure', 'figcaption',
]); // prettier-ignore

const isBlock = (node: HtmlNode): node is HtmlElement =>
  node.type === 'element' && BLOCKS.has(node.tag);

/**
 * Lays out a sequence of nodes: runs of inline content become wrapped paragraphs, blocks are
 * separated by a blank line, except list items and, inside a list item (`inItem`), lists.
 */
function blocks(nodes: HtmlNode[], context: Context, inItem = false): string[] {
  const out: string[] = [];
  let run: HtmlNode[] = [];
  const add = (lines: string[], spaced: boolean) => {
    if (lines.length === 0) return;
    if (spaced && out.length > 0 && out[out.length - 1] !== '') out.push('');
    out.push(...lines);
  };
  const flushRun = () => {
    const text = inlineText(run);
    run = [];
    if (text.trim() !== '') add(wrap(text, context.width), true);
  };
  for (const node of nodes) {
    if (!isBlock(node)) {
      run.push(node);
      continue;
    }
    flushRun();
    const tight =
      node.tag === 'li' || node.tag === 'summary' || (inItem && /^[ou]l$/.test(node.tag));
    add(block(node, context), !tight);
  }
  flushRun();
  while (out[out.length - 1] === '') out.pop();
  return out;
}

function block(element: HtmlElement, context: Context): string[] {
  const { tag } = element;
  if (/^h[1-6]$/.test(tag)) return heading(element, Number(tag[1]), context);
  switch (tag) {
    case 'hr':
      return ['─'.repeat(Math.min(context.width, 40))];
    case 'ul':
    case 'ol':
      return list(element, context);
    case 'table':
      return table(element, context);
    case 'details':
      return details(element, context);
    case 'pre':
      return textOf(element)
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `    ${line}`);
    case 'blockquote':
      return indent(blocks(element.children, narrower(context, 2)), '│ ');
    case 'dd':
      return indent(blocks(element.children, narrower(context, 4)), '    ');
    default:
      return blocks(element.children, context);
  }
}

function heading(element: HtmlElement, level: number, context: Context): string[] {
  const text = inlineText(element.children).replace(/\s*\n\s*/g, ' ');
  const lines = wrap(text, context.width);
  const underline = level <= 2 ? '═' : level === 3 ? '─' : '';
  const styled = lines.map((line) => bold(line, context));
  if (!underline) return styled;
  const length = Math.max(...lines.map(displayWidth));
  return [...styled, underline.repeat(length)];
}

function list(element: HtmlElement, context: Context): string[] {
  const items = element.children.filter(
    (node): node is HtmlElement => node.type === 'element' && node.tag === 'li',
  );
  const start = Number(element.attrs.start ?? 1) || 1;
  const markers = items.map((_, i) => (element.tag === 'ol' ? `${start + i}. ` : '• '));
  const markerWidth = Math.max(0, ...markers.map(displayWidth));
  return items.flatMap((item, i) => {
    const body = blocks(item.children, narrower(context, markerWidth), true);
    if (body.length === 0) body.push('');
    const marker = markers[i]!.padStart(markerWidth);
    return body.map((line, n) =>
      n === 0 ? marker + line : line === '' ? '' : ' '.repeat(markerWidth) + line,
    );
  });
}

function details(element: HtmlElement, context: Context): string[] {
  const summary = element.children.find(
    (node): node is HtmlElement => node.type === 'element' && node.tag === 'summary',
  );
  const rest = element.children.filter((node) => node !== summary);
  const title = summary ? inlineText(summary.children).replace(/\s+/g, ' ').trim() : 'Details';
  const content = indent(blocks(rest, narrower(context, 2)), '  ');
  if (context.unfold || 'open' in element.attrs)
    return [...wrap(`▾ ${title}`, context.width), ...content];
  const folded = content.filter((line) => line !== '').length;
  return wrap(`▸ ${title} [${folded} line${folded === 1 ? '' : 's'} folded]`, context.width);
}

const GAP = '  ';
/** A column is never narrower than its longest word, up to this many columns. */
const LONGEST_WORD_KEPT = 20;

/**
 * A table as aligned columns, its cells wrapped to fit the width; a table too wide for that even
 * with every column at its narrowest becomes one record per row instead.
 */
function table(element: HtmlElement, context: Context): string[] {
  const rows = rowsOf(element).map((row) => ({
    header: row.every((cell) => cell.tag === 'th'),
    cells: row.map((cell) =>
      blocks(cell.children, { ...context, width: 10_000 })
        .filter((line) => line !== '')
        .join(' / '),
    ),
  }));
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((row) => row.cells.length));
  for (const row of rows) while (row.cells.length < columns) row.cells.push('');
  const widths = fitColumns(
    rows.map((row) => row.cells),
    context.width - GAP.length * (columns - 1),
  );
  return widths ? grid(rows, widths, context) : records(rows, context);
}

interface Row {
  header: boolean;
  cells: string[];
}

function grid(rows: Row[], widths: number[], context: Context): string[] {
  const laidOut = rows.map((row) => ({
    header: row.header,
    cells: row.cells.map((cell, c) => (cell === '' ? [''] : wrap(cell, widths[c]!))),
  }));
  // Once a row wraps, rows read better apart: then a blank line separates the body rows.
  const spaced = laidOut.some((row) => !row.header && row.cells.some((lines) => lines.length > 1));
  const out: string[] = [];
  for (const [r, row] of laidOut.entries()) {
    if (spaced && !row.header && r > 0 && !laidOut[r - 1]!.header) out.push('');
    const height = Math.max(...row.cells.map((lines) => lines.length));
    for (let n = 0; n < height; n++) {
      const line = row.cells
        .map((lines, c) => pad(lines[n] ?? '', c === row.cells.length - 1 ? 0 : widths[c]!))
        .join(GAP)
        .trimEnd();
      out.push(row.header ? bold(line, context) : line);
    }
    if (row.header) out.push(widths.map((width) => '─'.repeat(width)).join(GAP));
  }
  return out;
}

/**
 * One paragraph per body row: the cells that identify it (up to the first column whose values are
 * all different), then "Header: value" for the others.
 */
function records(rows: Row[], context: Context): string[] {
  const headers = rows.find((row) => row.header)?.cells ?? [];
  const body = rows.filter((row) => !row.header);
  const columns = body[0]?.cells.length ?? 0;
  let key = 0;
  while (
    key < Math.min(columns, 3) - 1 &&
    new Set(body.map((row) => row.cells[key])).size < body.length
  )
    key++;
  const out: string[] = [];
  for (const row of body) {
    if (out.length > 0) out.push('');
    out.push(...wrap(row.cells.slice(0, key + 1).join(' · '), context.width));
    const fields = row.cells
      .slice(key + 1)
      .map((cell, c) => (headers[key + 1 + c] ? `${headers[key + 1 + c]}: ${cell || '-'}` : cell));
    out.push(...indent(wrap(fields.join(' · '), context.width - 4), '    '));
  }
  return out;
}

function rowsOf(table: HtmlElement): HtmlElement[][] {
  const rows: HtmlElement[][] = [];
  const visit = (node: HtmlElement) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tag === 'tr') {
        rows.push(
          child.children.filter(
            (cell): cell is HtmlElement =>
              cell.type === 'element' && (cell.tag === 'td' || cell.tag === 'th'),
          ),
        );
      } else if (['thead', 'tbody', 'tfoot'].includes(child.tag)) visit(child);
    }
  };
  visit(table);
  return rows;
}

/**
 * Column widths within `available`, as a browser lays out a table: each column between its
 * longest word (at most LONGEST_WORD_KEPT) and its longest cell, the room left shared in
 * proportion to how much each column would still take. Undefined when even the narrowest
 * columns do not fit.
 */
function fitColumns(rows: string[][], available: number): number[] | undefined {
  const columns = rows[0]!.length;
  const cellsOf = (c: number) => rows.map((row) => row[c]!);
  const max = Array.from({ length: columns }, (_, c) =>
    Math.max(1, ...cellsOf(c).map(displayWidth)),
  );
  const min = Array.from({ length: columns }, (_, c) =>
    Math.min(
      max[c]!,
      LONGEST_WORD_KEPT,
      Math.max(1, ...cellsOf(c).flatMap((cell) => cell.split(/\s+/).map(displayWidth))),
    ),
  );
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  if (sum(max) <= available) return max;
  if (sum(min) > available) return undefined;
  // The room left is shared out evenly, a column that needs less than its share taking only what
  // it needs: short columns (names, dates, states) stay on one line and the long texts wrap.
  const widths = [...min];
  let room = available - sum(min);
  const byNeed = [...widths.keys()].sort((a, b) => max[a]! - min[a]! - (max[b]! - min[b]!));
  for (const [n, c] of byNeed.entries()) {
    const given = Math.min(max[c]! - min[c]!, Math.floor(room / (columns - n)));
    widths[c]! += given;
    room -= given;
  }
  return widths;
}

/** Inline content as one string; <br> and newlines inside <pre> are kept as line breaks. */
function inlineText(nodes: HtmlNode[]): string {
  return nodes
    .map((node) => inlinePiece(node))
    .join('')
    .replace(/[ \t\r\f\u00a0]*\n[ \t\r\f\u00a0]*/g, '\n')
    .replace(/^[ \t]+|[ \t]+$/g, '');
}

function inlinePiece(node: HtmlNode): string {
  if (node.type === 'text') return node.text.replace(/[ \t\r\n\f]+/g, ' ');
  switch (node.tag) {
    case 'br':
      return '\n';
    case 'img':
      return node.attrs.alt ?? '';
    case 'input':
      return node.attrs.type === 'checkbox' ? ('checked' in node.attrs ? '[x] ' : '[ ] ') : '';
    case 'script':
    case 'style':
      return '';
    default:
      return node.children.map(inlinePiece).join('');
  }
}

function textOf(node: HtmlNode): string {
  return node.type === 'text' ? node.text : node.children.map(textOf).join('');
}

function indent(lines: string[], prefix: string): string[] {
  return lines.map((line) => (line === '' ? '' : prefix + line));
}

function narrower(context: Context, by: number): Context {
  return { ...context, width: Math.max(10, context.width - by) };
}

function bold(text: string, context: Context): string {
  return context.color && text !== '' ? `\u001b[1m${text}\u001b[22m` : text;
}
