// The first line goes out before the rest of the bundle loads: parsing the Azure SDKs and their
// dependencies takes the better part of a second of CPU, and a runner's log should show at once
// that the step started.
process.stdout.write('aml-storage-key-rotation: starting\n');
const { run } = await import('./main.js');
await run();
