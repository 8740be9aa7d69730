/** HTML for the job summary: escaping, and the few elements it is built of. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  '\\': '&#92;',
};

/** Escapes a value from Azure (names can hold markup) for the summary's HTML and markdown. */
export function escape(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`*_[\]|\\]/g, (c) => ENTITIES[c]!);
}

/** Markup this module built itself: a table cell that is not escaped again. */
export class Html {
  constructor(readonly html: string) {}
}
export type Cell = string | number | Html | undefined;

const cell = (value: Cell) => (value instanceof Html ? value.html : escape(value ?? '-'));
export const link = (text: string, url: string | undefined) =>
  new Html(url ? `<a href="${escape(url)}">${escape(text)}</a>` : escape(text));

export function table(headers: string[], rows: Cell[][]): string {
  const head = `<tr>${headers.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`);
  return `<table>${head}${body.join('')}</table>\n`;
}

export const heading = (text: string) => `<h3>${escape(text)}</h3>\n`;
export const paragraph = (html: string) => `<p>${html}</p>\n`;
export const items = (lines: string[]) =>
  `<ul>${lines.map((l) => `<li>${escape(l)}</li>`).join('')}</ul>\n`;
export const details = (summary: string, html: string, open = false) =>
  `<details${open ? ' open' : ''}><summary>${escape(summary)}</summary>\n\n${html}</details>\n`;
