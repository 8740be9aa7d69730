// Text in terminal columns: how wide a string is drawn (ANSI escapes and combining marks take
// none, emoji and East Asian wide characters two), word-wrapping and padding by that width.

/** Word-wraps each line of `text` to `width` columns; a word longer than that is cut. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (displayWidth(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line) out.push(line);
      line = word;
      while (displayWidth(line) > width) {
        const [head, tail] = cut(line, width);
        out.push(head);
        line = tail;
      }
    }
    out.push(line);
  }
  return out;
}

/** Splits a word at `width` columns, preferring just after a '/', '-', '_' or '.' in its second half. */
function cut(word: string, width: number): [string, string] {
  const chars = [...word];
  let taken = 0;
  let end = 0;
  while (end < chars.length && taken + charWidth(chars[end]!, chars[end + 1]) <= width) {
    taken += charWidth(chars[end]!, chars[end + 1]);
    end++;
  }
  end = Math.max(1, end);
  for (let i = end; i > end / 2; i--) {
    if (/[/\-_.]/.test(chars[i - 1]!)) {
      end = i;
      break;
    }
  }
  return [chars.slice(0, end).join(''), chars.slice(end).join('')];
}

export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

const ANSI = new RegExp(String.raw`\u001b\[[\d;]*m`, 'g');
/** Combining marks and variation selectors (\p{M}), zero-width spaces and joiners. */
const ZERO_WIDTH = /\p{M}|[\u200b-\u200f\u2060]/u;
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

function charWidth(char: string, next?: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  if (WIDE.test(char) || /\p{Emoji_Presentation}/u.test(char)) return 2;
  // A text-style symbol followed by VS16 (e.g. ⚠️) is drawn as an emoji, two columns wide.
  if (next === '\ufe0f' && /\p{Extended_Pictographic}/u.test(char)) return 2;
  return 1;
}

/** Columns a string takes in a terminal: ANSI escapes and combining marks take none, emoji two. */
export function displayWidth(text: string): number {
  const chars = [...text.replace(ANSI, '')];
  return chars.reduce((sum, char, i) => sum + charWidth(char, chars[i + 1]), 0);
}
