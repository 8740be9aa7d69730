// Fake clock for the action's process in an e2e test: preload with `node --import <this file>`
// and SHIFTED_CLOCK_MS set to how far the emulator's world clock was moved on (advanceClock), so
// the action and the world it observes agree on the time. Date.now() and new Date() shift; timers
// and performance.now() do not (they measure durations, which the shift does not change).
// Plain JavaScript on purpose: it must load in the bundled action.
import process from 'node:process';

const offset = Number(process.env.SHIFTED_CLOCK_MS ?? '0');
if (Number.isFinite(offset) && offset !== 0) {
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
