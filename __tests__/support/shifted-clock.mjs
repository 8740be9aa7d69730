// Fake clock for the action's process in an e2e test: preload with `node --import <this file>`
// and SHIFTED_CLOCK_MS set to how far the emulator's world clock was moved on (advanceClock), so
// the action and the world it observes agree on the time. Date.now() and new Date() shift; timers
// and performance.now() do not (they measure durations, which the shift does not change).
//
// To move the clock during a run: set SHIFTED_CLOCK_FILE too; the test writes the new offset to
// that file and sends the process SIGUSR2, and the process takes it up and writes it back to
// `<file>.ack`, so the test knows when the action's clock has moved.
// Plain JavaScript on purpose: it must load in the bundled action.
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

let offset = Number(process.env.SHIFTED_CLOCK_MS ?? '0');
const file = process.env.SHIFTED_CLOCK_FILE;

if (file) {
  process.on('SIGUSR2', () => {
    offset = Number(readFileSync(file, 'utf8'));
    writeFileSync(`${file}.ack`, String(offset));
  });
}

if (file || (Number.isFinite(offset) && offset !== 0)) {
  const RealDate = globalThis.Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }

    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
