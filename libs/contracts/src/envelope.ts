/**
 * The wire format of every public event on Kafka (JSON value, key = streamId).
 * Consumers must treat every field as untrusted input and validate it (see `parseEnvelope`).
 */
export interface Actor {
  /** JWT subject of whoever caused the event, or `system:<process>` for scheduled processes. */
  sub: string;
  role: 'agency-admin' | 'assistant' | 'client' | 'system';
}

export interface EventMetadata {
  agencyId: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  /** ISO-8601 UTC instant at which the decision was taken. */
  occurredAt: string;
}

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  eventId: string;
  type: TType;
  schemaVersion: number;
  streamId: string;
  /** 1-based version of the event in its stream. */
  version: number;
  /** Ordered per-service position: strictly increasing, unique, may have gaps. */
  position: number;
  metadata: EventMetadata;
  data: TData;
}

export class EnvelopeError extends Error {
  constructor(public readonly field: string, reason: string) {
    super(`invalid event envelope: ${field} ${reason}`);
    this.name = 'EnvelopeError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ROLES = new Set(['agency-admin', 'assistant', 'client', 'system']);

function str(o: Record<string, unknown>, field: string, prefix = ''): string {
  const v = o[field];
  if (typeof v !== 'string' || v.length === 0) throw new EnvelopeError(prefix + field, 'must be a non-empty string');
  return v;
}

function posInt(o: Record<string, unknown>, field: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new EnvelopeError(field, 'must be a positive integer');
  return v;
}

/** Validates the envelope of a message read from Kafka. The `data` is checked by the event's own parser. */
export function parseEnvelope(raw: unknown): EventEnvelope {
  if (!isObject(raw)) throw new EnvelopeError('(root)', 'must be an object');
  const metadata = raw['metadata'];
  if (!isObject(metadata)) throw new EnvelopeError('metadata', 'must be an object');
  const actor = metadata['actor'];
  if (!isObject(actor)) throw new EnvelopeError('metadata.actor', 'must be an object');
  const role = str(actor, 'role', 'metadata.actor.');
  if (!ROLES.has(role)) throw new EnvelopeError('metadata.actor.role', 'is not a known role');
  const occurredAt = str(metadata, 'occurredAt', 'metadata.');
  if (Number.isNaN(Date.parse(occurredAt))) throw new EnvelopeError('metadata.occurredAt', 'must be an ISO-8601 instant');
  if (!isObject(raw['data'])) throw new EnvelopeError('data', 'must be an object');
  return {
    eventId: str(raw, 'eventId'),
    type: str(raw, 'type'),
    schemaVersion: posInt(raw, 'schemaVersion'),
    streamId: str(raw, 'streamId'),
    version: posInt(raw, 'version'),
    position: posInt(raw, 'position'),
    metadata: {
      agencyId: str(metadata, 'agencyId', 'metadata.'),
      actor: { sub: str(actor, 'sub', 'metadata.actor.'), role: role as Actor['role'] },
      correlationId: str(metadata, 'correlationId', 'metadata.'),
      causationId: str(metadata, 'causationId', 'metadata.'),
      occurredAt,
    },
    data: raw['data'],
  };
}
