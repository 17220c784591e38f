// Perplexity: exp of the mean token negative log-likelihood (natural log), padding excluded.
import { RnnkitError } from '@rnnkit/core';

/** `exp(totalNll / tokens)`; `totalNll` is the summed per-token cross-entropy in nats. */
export function perplexity(totalNll: number, tokens: number): number {
  if (!(tokens > 0) || !Number.isFinite(totalNll)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected a finite summed NLL and a positive token count. Received: totalNll=${totalNll}, tokens=${tokens}`);
  }
  return Math.exp(totalNll / tokens);
}
