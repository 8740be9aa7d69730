import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface EmulatorCertificate {
  /** PEM of the CA that signed the server certificate; trust it with NODE_EXTRA_CA_CERTS or an https.Agent `ca`. */
  caPem: string;
  /** Path of a temp file holding caPem, for NODE_EXTRA_CA_CERTS in child processes. */
  caFile: string;
  serverKeyPem: string;
  serverCertPem: string;
}

const signing = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

let cached: Promise<EmulatorCertificate> | undefined;

/** One CA + server certificate per process: generating keys is the slow part of starting an emulator. */
export function emulatorCertificate(): Promise<EmulatorCertificate> {
  cached ??= createCertificate();
  return cached;
}

async function createCertificate(): Promise<EmulatorCertificate> {
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
  const ca = await generate(
    [{ name: 'commonName', value: 'aml-storage-key-rotation emulator CA' }],
    {
      ...signing,
      notBeforeDate,
      notAfterDate,
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        {
          name: 'keyUsage',
          keyCertSign: true,
          cRLSign: true,
          digitalSignature: true,
          critical: true,
        },
      ],
    },
  );
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...signing,
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const caFile = writeCaFile(ca.cert);
  return { caPem: ca.cert, caFile, serverKeyPem: server.private, serverCertPem: server.cert };
}

function writeCaFile(caPem: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'aml-emulator-ca-'));
  const caFile = join(directory, 'ca.pem');
  writeFileSync(caFile, caPem);
  process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  return caFile;
}
