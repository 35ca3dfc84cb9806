import { IN_FLIGHT_TIMEOUT_MS, idempotencyKeyId, type TokenClaims } from '@vaops/platform';
import { MongoClient } from 'mongodb';
import type { RunningService } from './service-process';

/**
 * Leaves a request's Idempotency-Key the way a process killed mid-request does (after its writes, before
 * its answer was stored), a minute on: in flight with no answer, and old enough for a retry to take it
 * over and decide the request again.
 */
export async function dieInFlight(svc: RunningService, claims: Pick<TokenClaims, 'agencyId' | 'sub'>, key: string): Promise<void> {
  const client = await MongoClient.connect(svc.env.MONGO_URL, { retryWrites: false });
  try {
    const keys = client.db().collection<{ _id: string }>('idempotency_keys');
    const r = await keys.updateOne({ _id: idempotencyKeyId(claims.agencyId, claims.sub, key) }, { $set: { answer: null, createdAt: Date.now() - IN_FLIGHT_TIMEOUT_MS - 1_000 } });
    if (r.matchedCount !== 1) throw new Error(`no Idempotency-Key ${key} in ${svc.env.MONGO_URL}`);
  } finally {
    await client.close();
  }
}
