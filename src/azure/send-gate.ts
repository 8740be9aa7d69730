import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { NotSentError } from './port.js';

/**
 * A call that must not go out once the run is cancelled, but that is waited for once it has gone
 * out: a key regeneration. An abort signal handed to the SDK would also cut off a request already
 * sent, losing the answer that tells whether the key changed. The gate stands last in the pipeline,
 * after the retries, the pacer and the token: what passes it is on the wire.
 */
interface Gate {
  cancel: AbortSignal;
  /** An attempt of the call has passed the gate. */
  sent: boolean;
  /** An attempt is on the wire now, its answer not yet in. */
  onWire: boolean;
}

/** The call's own signal (what the SDK sees as the request's abortSignal) → its gate. */
const gates = new WeakMap<AbortSignal, Gate>();

/** The policy every storage client carries; requests without a gate pass untouched. */
export function sendGatePolicy(): PipelinePolicy {
  return {
    name: 'cancelGate',
    async sendRequest(request, next) {
      const gate = request.abortSignal && gates.get(request.abortSignal as AbortSignal);
      if (!gate) return next(request);
      if (gate.cancel.aborted) throw new NotSentError(gate.sent);
      Object.assign(gate, { sent: true, onWire: true });
      try {
        return await next(request);
      } finally {
        gate.onWire = false;
      }
    },
  };
}

/**
 * Runs one SDK call behind the gate. On a cancel while nothing is on the wire (a token being
 * fetched, the pacer or a retry waiting), the call's signal aborts at once, and the call rejects
 * with a NotSentError however the SDK told the abort.
 */
export async function unlessCancelled<T>(
  cancel: AbortSignal | undefined,
  call: (options: { abortSignal?: AbortSignal }) => Promise<T>,
): Promise<T> {
  if (!cancel) return call({});
  const own = new AbortController();
  const gate: Gate = { cancel, sent: false, onWire: false };
  gates.set(own.signal, gate);
  const onCancel = () => {
    if (!gate.onWire) own.abort();
  };
  if (cancel.aborted) throw new NotSentError(false);
  cancel.addEventListener('abort', onCancel, { once: true });
  try {
    return await call({ abortSignal: own.signal });
  } catch (error) {
    if (own.signal.aborted && !(error instanceof NotSentError)) throw new NotSentError(gate.sent);
    throw error;
  } finally {
    cancel.removeEventListener('abort', onCancel);
  }
}
