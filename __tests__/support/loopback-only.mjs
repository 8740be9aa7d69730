// Network guard: preload with `node --import <this file>` (or NODE_OPTIONS=--import=<abs path>).
// Every TCP or TLS connection to anything but 127.0.0.1, ::1 or localhost is refused before a DNS
// lookup or a packet happens. Unix-domain sockets and pipes (IPC) are left alone.
// Plain JavaScript on purpose: it must load in the test runner and in the bundled action alike.
import fs from 'node:fs';
import net from 'node:net';
import process from 'node:process';
import { setImmediate } from 'node:timers';

export const GUARD_LOG_ENV = 'NETWORK_GUARD_LOG';
export const GUARD_ERROR_CODE = 'ERR_NETWORK_GUARD';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const STATE_KEY = Symbol.for('aml-storage-key-rotation.network-guard');

/** True for the only hosts tests may reach. */
export function isLoopbackHost(host) {
  const normalized = String(host)
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  return LOOPBACK_HOSTS.has(normalized);
}

/** Connections this process has refused so far, oldest first. */
export function refusedConnections() {
  return [...guardState().refused];
}

function guardState() {
  globalThis[STATE_KEY] ??= { installed: false, refused: [] };
  return globalThis[STATE_KEY];
}

/**
 * Where a `socket.connect(...)` call is headed, following net's own argument rules:
 * `(options[, cb])`, `(path[, cb])`, `(port[, host][, cb])`, or the array net.connect passes on.
 */
function connectTarget(args) {
  const [first, second] = Array.isArray(args[0]) ? args[0] : args;
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined && first.path !== null) return { ipc: true };
    return { ipc: false, host: first.host ?? 'localhost', port: first.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { ipc: true };
  return { ipc: false, host: typeof second === 'string' ? second : 'localhost', port: first };
}

function recordRefusal(host, port) {
  const attempt = {
    time: new Date().toISOString(),
    pid: process.pid,
    script: process.argv[1] ?? '',
    host: String(host),
    port: port === undefined ? '' : String(port),
  };
  guardState().refused.push(attempt);
  const logFile = process.env[GUARD_LOG_ENV];
  if (logFile) {
    try {
      fs.appendFileSync(logFile, `${JSON.stringify(attempt)}\n`);
    } catch {
      // The refusal itself still happens; the log is a convenience for assertions.
    }
  }
}

export function guardError(host, port) {
  const error = new Error(
    `network guard: refused connection to ${host}:${port ?? ''} — tests may only reach 127.0.0.1`,
  );
  error.code = GUARD_ERROR_CODE;
  return error;
}

function install() {
  const state = guardState();
  if (state.installed) return;
  state.installed = true;

  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = connectTarget(args);
    if (target.ipc || isLoopbackHost(target.host)) return originalConnect.apply(this, args);

    recordRefusal(target.host, target.port);
    const error = guardError(target.host, target.port);
    // Fail the way a refused connection fails: the socket looks like it is connecting (so early
    // writes are queued, not rejected) and errors asynchronously, once callers (http's
    // ClientRequest, undici, tls) have attached their 'error' listeners.
    this.connecting = true;
    setImmediate(() => this.destroy(error));
    return this;
  };
}

install();
