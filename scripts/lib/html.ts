// A job summary as GitHub reads it, for the demo and the README images: markdown in which HTML
// blocks pass through. Deliberately small: the HTML @actions/core's summary writes (headings,
// paragraphs, tables, lists, <details>, links, code) plus the markdown a raw line might hold.

export type HtmlNode = HtmlText | HtmlElement;

export interface HtmlText {
  type: 'text';
  /** Entities decoded. */
  text: string;
}

export interface HtmlElement {
  type: 'element';
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
}

const VOID_TAGS = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'col', 'wbr', 'source']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  middot: '·',
  bull: '•',
  rarr: '→',
  larr: '←',
  times: '×',
  check: '✓',
  copy: '©',
};

/** Decodes named (the common ones), decimal and hexadecimal character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[\da-f]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`,
  );
}

const TOKEN =
  /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** A lenient parser: an end tag closes the nearest open element of its name, or is ignored. */
export function parseHtml(html: string): HtmlNode[] {
  const root: HtmlElement = { type: 'element', tag: '#root', attrs: {}, children: [] };
  const stack: HtmlElement[] = [root];
  const top = () => stack[stack.length - 1]!;
  const addText = (raw: string) => {
    if (raw) top().children.push({ type: 'text', text: decodeEntities(raw) });
  };
  let last = 0;
  for (const match of html.matchAll(TOKEN)) {
    addText(html.slice(last, match.index));
    last = match.index + match[0].length;
    const [whole, closing, rawTag, rawAttrs = '', selfClosing] = match;
    if (whole.startsWith('<!--') || !rawTag) continue;
    const tag = rawTag.toLowerCase();
    if (closing) {
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, name, ...values] of rawAttrs.matchAll(ATTRIBUTE)) {
      if (name)
        attrs[name.toLowerCase()] = decodeEntities(values.find((v) => v !== undefined) ?? '');
    }
    // A new row or cell ends the previous one, as browsers do for unclosed <tr>/<td>/<li>.
    if (['tr', 'td', 'th', 'li'].includes(tag)) closeImplied(stack, tag);
    const element: HtmlElement = { type: 'element', tag, attrs, children: [] };
    top().children.push(element);
    if (!VOID_TAGS.has(tag) && !selfClosing) stack.push(element);
  }
  addText(html.slice(last));
  return root.children;
}

function closeImplied(stack: HtmlElement[], tag: string): void {
  const siblings: Record<string, string[]> = {
    tr: ['tr'],
    td: ['td', 'th'],
    th: ['td', 'th'],
    li: ['li'],
  };
  const containers: Record<string, string[]> = {
    tr: ['table', 'thead', 'tbody', 'tfoot'],
    td: ['tr'],
    th: ['tr'],
    li: ['ul', 'ol'],
  };
  for (let i = stack.length - 1; i > 0; i--) {
    const open = stack[i]!.tag;
    if (containers[tag]!.includes(open)) return;
    if (siblings[tag]!.includes(open)) {
      stack.length = i;
      return;
    }
  }
}

/** Tags that start an HTML block in GitHub-flavoured markdown (CommonMark type 6). */
const BLOCK_TAGS = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details ' +
    'dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 ' +
    'head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option ' +
    'p param search section summary table tbody td tfoot th thead title tr track ul pre'
  ).split(' '),
);

const startsHtmlBlock = (line: string): boolean => {
  const tag = /^ {0,3}<\/?([a-zA-Z][\w-]*)(?=[\s/>]|$)/.exec(line)?.[1]?.toLowerCase();
  return line.trimStart().startsWith('<!--') || (tag !== undefined && BLOCK_TAGS.has(tag));
};

/** A line that is one complete tag and nothing else starts an HTML block too, except mid-paragraph. */
const isLoneTag = (line: string): boolean => /^ {0,3}<\/?[a-zA-Z][\w-]*[^>]*>\s*$/.test(line);

/**
 * The job summary as HTML, the way GitHub reads GITHUB_STEP_SUMMARY: an HTML block runs from a line
 * that starts with a block tag to the next blank line and passes through as it is; other lines are
 * markdown, of which this handles ATX headings, `-`/`1.` lists, `---`, paragraphs, **bold**,
 * *italic*, `code` and [links](url). Tables written in markdown syntax are left as text.
 */
export function summaryToHtml(summary: string): string {
  const lines = summary.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
    } else if (startsHtmlBlock(line) || isLoneTag(line)) {
      while (i < lines.length && lines[i]!.trim() !== '') out.push(lines[i++]!);
    } else {
      const block: string[] = [];
      while (
        i < lines.length &&
        lines[i]!.trim() !== '' &&
        (block.length === 0 || !startsHtmlBlock(lines[i]!))
      )
        block.push(lines[i++]!);
      out.push(markdownBlock(block));
    }
  }
  return out.join('\n');
}

function markdownBlock(lines: string[]): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | undefined;
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${inline(paragraph.join('\n'))}</p>`);
    paragraph = [];
    if (list)
      out.push(
        `<${list.tag}>${list.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${list.tag}>`,
      );
    list = undefined;
  };
  for (const line of lines) {
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const item = /^\s*(?:([-*+])|\d+[.)])\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      out.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
    } else if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push('<hr>');
    } else if (item) {
      const tag = item[1] ? 'ul' : 'ol';
      if (paragraph.length > 0 || (list && list.tag !== tag)) flush();
      list ??= { tag, items: [] };
      list.items.push(item[2]!);
    } else if (list) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}

function inline(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, index) =>
      index % 2 === 1
        ? `<code>${part.slice(1, -1)}</code>`
        : part
            .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>')
            .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '<strong>$2</strong>')
            .replace(/(^|[^\w*])([*_])(?=\S)(.+?)(?<=\S)\2(?![\w*])/g, '$1<em>$3</em>')
            .replace(/ {2,}\n|\\\n/g, '<br>\n'),
    )
    .join('');
}
