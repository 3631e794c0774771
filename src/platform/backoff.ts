/** Upper bound of one retry delay: whatever is down (a merchant endpoint, the payment provider) is retried at least every five minutes. */
export const MAX_RETRY_DELAY_SECONDS = 300;

/**
 * Exponential backoff from the delivery attempt number (1 on first delivery):
 * 4 s, 8 s, 16 s, … capped at five minutes, with ±20% jitter so that a batch that
 * failed together (an outage) does not come back as one burst. The jitter is
 * bounded, not "full", so below the cap a later attempt never waits less than an
 * earlier one; at the cap delays spread over 240–300 s.
 */
export function retryDelaySeconds(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts, 1), 16);
  const base = Math.min(2 ** exponent * 2, MAX_RETRY_DELAY_SECONDS);
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return Math.min(Math.max(jittered, 1), MAX_RETRY_DELAY_SECONDS);
}
