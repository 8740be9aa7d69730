// Screenshots of local HTML pages with headless Chromium, driven over the DevTools protocol on a
// pipe (no port is opened). A dev tool only: nothing in the action or its tests needs it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_HELP = `Headless Chromium is needed to take the screenshots (a dev tool, not a dependency of the action or CI).
On Debian or Ubuntu:
  sudo apt-get update && sudo apt-get install -y chromium fonts-noto-color-emoji optipng
(fonts-noto-color-emoji draws the summary's emoji; optipng, optional, makes the PNGs smaller.)
Or point CHROMIUM at a Chrome or Chromium binary: CHROMIUM=/path/to/chrome npm run docs:summaries`;

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The browser to run: $CHROMIUM, else the first of the usual names on PATH. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  return CANDIDATES.find((name) => onPath(name));
}

export function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v "$0" >/dev/null`, command]).status === 0;
}

export interface Shot {
  /** The HTML page to open. */
  page: string;
  /** Where the PNG goes. */
  png: string;
  /** Set by screenshot(): the page width the picture was taken at. */
  width?: number;
}

/** How far a table scrolls sideways in the open page (GitHub's tables scroll when too wide). */
const TABLE_OVERFLOW = `Math.max(0, ...[...document.querySelectorAll('table')].map((t) => t.scrollWidth - t.clientWidth))`;

/**
 * Opens each page at `width` CSS pixels and saves the full page height as PNG. A table too wide
 * for that would scroll sideways, which a picture cannot: the page is then widened until every
 * table fits, up to `maxWidth`. Chromium is started with a throwaway profile and a resolver that
 * resolves no host, so a page cannot reach the network.
 */
export async function screenshot(
  browser: string,
  shots: Shot[],
  width: number,
  maxWidth = Math.round(width * 1.6),
): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'aml-chromium-'));
  const args = [
    '--headless',
    '--remote-debugging-pipe',
    `--user-data-dir=${profile}`,
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--disable-gpu',
    '--hide-scrollbars',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--mute-audio',
    // Chromium refuses to start as root with its sandbox on (containers); the pages are our own.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    'about:blank',
  ];
  const child = spawn(browser, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const cdp = new DevTools(child);
  try {
    const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    const page = (method: string, params: object = {}) => cdp.send(method, params, sessionId);
    const resize = (pageWidth: number) =>
      page('Emulation.setDeviceMetricsOverride', {
        width: pageWidth,
        height: 800,
        deviceScaleFactor: 1,
        mobile: false,
      });
    await page('Page.enable');
    for (const shot of shots) {
      let pageWidth = width;
      await resize(pageWidth);
      const loaded = cdp.once('Page.loadEventFired', sessionId);
      await page('Page.navigate', { url: pathToFileURL(shot.page).href });
      await loaded;
      for (let attempt = 0; attempt < 4 && pageWidth < maxWidth; attempt++) {
        const { result } = (await page('Runtime.evaluate', {
          expression: TABLE_OVERFLOW,
          returnByValue: true,
        })) as { result: { value: number } };
        if (!(result.value > 0)) break;
        pageWidth = Math.min(maxWidth, pageWidth + Math.ceil(result.value));
        await resize(pageWidth);
      }
      const metrics = await page('Page.getLayoutMetrics');
      const { height } = (metrics as { cssContentSize: { height: number } }).cssContentSize;
      const { data } = (await page('Page.captureScreenshot', {
        format: 'png',
        captureBeyondViewport: true,
        clip: { x: 0, y: 0, width: pageWidth, height: Math.ceil(height), scale: 1 },
      })) as { data: string };
      writeFileSync(shot.png, Buffer.from(data, 'base64'));
      shot.width = pageWidth;
    }
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- chromium stderr ---\n${stderr.slice(-3000)}`);
  } finally {
    await cdp.close(5000);
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The DevTools protocol over Chromium's pipe: JSON messages, each ended by a NUL byte. */
class DevTools {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly listeners: { method: string; sessionId?: string; resolve: () => void }[] = [];
  private readonly input: Writable;
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    this.input = child.stdio[3] as Writable;
    // A write after the browser went away fails the pending call (below), not the process.
    this.input.on('error', () => undefined);
    const output = child.stdio[4] as Readable;
    output.setEncoding('utf8').on('data', (text: string) => this.receive(text));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      const error = new Error(`chromium exited (${code ?? signal}) before answering`);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    });
    child.once('error', (error) => {
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    });
  }

  send<T = unknown>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    if (this.hasExited()) return Promise.reject(new Error('chromium is not running'));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  }

  once(method: string, sessionId?: string): Promise<void> {
    return new Promise((resolve) => this.listeners.push({ method, sessionId, resolve }));
  }

  /** Asks the browser to close and waits for it, killing it after `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    if (this.hasExited()) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.send('Browser.close').catch(() => undefined);
    await this.exited;
    clearTimeout(timer);
  }

  private hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  private receive(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as {
        id?: number;
        method?: string;
        sessionId?: string;
        result?: unknown;
        error?: { message: string };
      };
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`DevTools: ${message.error.message}`));
        else waiter?.resolve(message.result);
      } else if (message.method) {
        for (const [i, listener] of [...this.listeners.entries()].reverse()) {
          if (listener.method === message.method && listener.sessionId === message.sessionId) {
            this.listeners.splice(i, 1);
            listener.resolve();
          }
        }
      }
    }
  }
}
