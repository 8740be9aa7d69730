// Job summaries as a standalone HTML page that looks close to GitHub's run page: each summary in
// a bordered box headed "<job> summary", the annotations above it. No external resource is loaded.
import { escapeHtml, summaryToHtml } from './html.js';

export interface PageSection {
  /** Shown above the box (the demo's "Run 2 of 4: rotation"); omitted when undefined. */
  title?: string;
  /** A line under the title (e.g. the inputs), as text. */
  caption?: string;
  /** GITHUB_STEP_SUMMARY as the step wrote it. */
  summary: string;
  /** The job's name, as GitHub titles the box ("rotate summary"). */
  job?: string;
  annotations?: { level: string; message: string }[];
}

const ICONS: Record<string, string> = { error: '✖', warning: '⚠', notice: 'ℹ' };

export function summaryPage(pageTitle: string, sections: PageSection[]): string {
  const body = sections.map(section).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(pageTitle)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function section(part: PageSection, index: number): string {
  const id = `run-${index + 1}`;
  const heading = part.title ? `<h1 class="run-title">${escapeHtml(part.title)}</h1>` : '';
  const caption = part.caption ? `<p class="run-caption">${escapeHtml(part.caption)}</p>` : '';
  const annotations = part.annotations?.length
    ? `<div class="box annotations"><div class="box-header">Annotations <span class="muted">${part.annotations.length}</span></div>${part.annotations
        .map(
          (a) =>
            `<div class="annotation ${escapeHtml(a.level)}"><span class="icon">${ICONS[a.level] ?? '•'}</span><div><b>${escapeHtml(part.job ?? 'rotate')}</b><br>${escapeHtml(a.message)}</div></div>`,
        )
        .join('')}</div>`
    : '';
  const summary = part.summary.trim()
    ? breakablePaths(summaryToHtml(part.summary))
    : '<p class="muted">(the step wrote no job summary)</p>';
  return `<section id="${id}">${heading}${caption}${annotations}<div class="box"><div class="box-header">${escapeHtml(part.job ?? 'rotate')} summary</div><div class="markdown-body">
${summary}
</div></div></section>`;
}

/**
 * Lets long words (resource IDs in error messages) break after a '/': where GitHub makes a table
 * too wide for its box scroll sideways, a screenshot would cut it off. Only <wbr> is added.
 */
function breakablePaths(html: string): string {
  return html
    .split(/(<[^>]*>)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/[^\s<>]{30,}/g, (word) => word.replace(/\//g, '/<wbr>')),
    )
    .join('');
}

/** A small subset of GitHub's markdown styles (Primer, light theme). */
const CSS = `
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: #f6f8fa; color: #1f2328;
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; }
section { margin: 0 0 32px; }
.run-title { font-size: 20px; font-weight: 600; margin: 0 0 4px; }
.run-caption { margin: 0 0 12px; color: #59636e; font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
.muted { color: #59636e; font-weight: 400; }
.box { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; margin-bottom: 16px; }
.box-header { padding: 12px 16px; font-weight: 600; border-bottom: 1px solid #d1d9e0; }
.annotation { display: flex; gap: 8px; padding: 8px 16px; border-top: 1px solid #d1d9e0; }
.annotation:first-of-type { border-top: 0; }
.annotation .icon { width: 16px; flex: none; }
.annotation.error .icon { color: #d1242f; }
.annotation.warning .icon { color: #9a6700; }
.markdown-body { padding: 16px 24px 8px; word-wrap: break-word; }
.markdown-body > :first-child { margin-top: 0 !important; }
.markdown-body h1, .markdown-body h2, .markdown-body h3, .markdown-body h4 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h1 { font-size: 2em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body h4 { font-size: 1em; }
.markdown-body p, .markdown-body ul, .markdown-body ol, .markdown-body table, .markdown-body details, .markdown-body pre, .markdown-body blockquote { margin: 0 0 16px; }
.markdown-body ul, .markdown-body ol { padding-left: 2em; }
.markdown-body li + li { margin-top: .25em; }
.markdown-body a { color: #0969da; text-decoration: none; }
.markdown-body code { padding: .2em .4em; font-size: 85%; background: #818b9833; border-radius: 6px; font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body pre { padding: 16px; background: #f6f8fa; border-radius: 6px; overflow: auto; }
.markdown-body pre code { padding: 0; background: none; }
.markdown-body blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
.markdown-body th { font-weight: 600; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body tr { background: #fff; border-top: 1px solid #d1d9e0b3; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body details summary { cursor: pointer; }
.markdown-body hr { height: .25em; margin: 24px 0; background: #d1d9e0; border: 0; }
.markdown-body img { max-width: 100%; }
`;
