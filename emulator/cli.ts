import { parseArgs } from 'node:util';
import { startEmulator } from './server.js';

/**
 * tsx emulator/cli.ts --scenario sample [--latency-ms N] [--port N] [--token-lifetime-seconds N]
 *   [--throttling '{"writes":{"capacity":200,"refillPerSecond":10}}']   ('{}': ARM's own buckets)
 */
const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'sample' },
    'latency-ms': { type: 'string' },
    port: { type: 'string' },
    'token-lifetime-seconds': { type: 'string' },
    throttling: { type: 'string' },
  },
});

const optionalNumber = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a non-negative number`);
  return value;
};

const emulator = await startEmulator({
  scenario: values.scenario ?? 'sample',
  latencyMs: optionalNumber('latency-ms', values['latency-ms']),
  port: optionalNumber('port', values.port),
  tokenLifetimeSeconds: optionalNumber('token-lifetime-seconds', values['token-lifetime-seconds']),
  throttling: values.throttling === undefined ? undefined : JSON.parse(values.throttling),
});

process.stdout.write(
  `${JSON.stringify({
    url: emulator.url,
    caFile: emulator.caFile,
    subscriptionId: emulator.subscriptionId,
    tenantId: emulator.tenantId,
    idTokenRequestUrl: emulator.idTokenRequestUrl,
  })}\n`,
);

const shutdown = () => {
  emulator.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
