/**
 * kafkajs 2.2.4 (the last release) keeps every broker connection in a 1 ms timer loop while idle:
 * RequestQueue.scheduleCheckPendingRequests schedules its next check at `throttledUntil - now`, which
 * is negative when nothing is throttled, even when nothing is pending, and the check schedules itself
 * again (kafkajs #1556, #1604, #1704; fixed in open PRs, never released). Measured here: an idle
 * analytics service woke 1,550 times a second and used 4.5 % of a core. This puts back the intended
 * rule: check later only when something is pending (then at the throttle's end, or in 10 ms as
 * upstream) or a throttle is still running.
 */
interface RequestQueueLike {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  requestTimeoutIntervalId: NodeJS.Timeout | null;
  inflight: Map<unknown, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  isConnected(): boolean;
  destroy(): void;
}

/** As kafkajs' own CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

export function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId) return;
  let scheduleAt = this.throttledUntil - Date.now();
  if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  else if (scheduleAt <= 0) return; // nothing pending and no throttle: a new request is sent or queued by push()
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, scheduleAt);
}

/**
 * Upstream checks every connection's requests for timeouts 10 times a second, whether any is in flight
 * or not; timeouts are tens of seconds (kafkajs' requestTimeout, 30 s), so once a second is as good and
 * wakes an idle service ten times less per connection.
 */
export function scheduleRequestTimeoutCheck(this: RequestQueueLike): void {
  if (!this.enforceRequestTimeout) return;
  this.destroy();
  this.requestTimeoutIntervalId = setInterval(() => {
    this.inflight.forEach((request) => {
      if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
    });
    if (!this.isConnected()) this.destroy();
  }, Math.min(this.requestTimeout, 1_000));
}

let applied = false;

/** Replaces the two methods on kafkajs' RequestQueue, once per process. */
export function fixKafkajsIdleLoop(): void {
  if (applied) return;
  applied = true;
  // kafkajs exports no path for it; its package has no "exports" map, so the file is reachable
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueLike & { scheduleCheckPendingRequests: unknown; scheduleRequestTimeoutCheck: unknown } };
  if (typeof RequestQueue?.prototype?.scheduleCheckPendingRequests !== 'function' || typeof RequestQueue.prototype.scheduleRequestTimeoutCheck !== 'function') {
    throw new Error('kafkajs RequestQueue changed: review libs/kafka/src/request-queue-fix.ts');
  }
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleRequestTimeoutCheck = scheduleRequestTimeoutCheck;
}
