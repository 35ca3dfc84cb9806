import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import type { Actor, EventMetadata } from '@vaops/contracts';

/**
 * One change of a resource, as `GET .../history` lists it: what (the event type and the fields it set),
 * who (the actor of the command), when (the instant it was decided), why (the reason given, where the
 * event carries one) and the command's correlation id (the `X-Correlation-Id` of its request).
 */
export interface HistoryItem<Reason = string> {
  at: string;
  type: string;
  actor: Actor;
  /** Plaintext as a route answers it; a history read model keeps it as the event carried it (encrypted: `HistoryItem<PersonalData>`). */
  reason?: Reason;
  correlationId: string;
  changes: Record<string, unknown>;
}

/** What a history item is made from: a stored event or a public envelope. */
export interface RecordedEvent {
  type: string;
  data: unknown;
  metadata: Pick<EventMetadata, 'actor' | 'correlationId' | 'occurredAt'>;
}

/**
 * The history item of an event. `identity` names the fields that only say which resource it is (the
 * route's id): they are left out of `changes`, as is the reason, which has a field of its own, kept as
 * the event carries it (a null reason is none).
 */
export function historyItem<Reason = string>(e: RecordedEvent, identity: readonly string[] = []): HistoryItem<Reason> {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (k !== 'reason' && !identity.includes(k)) changes[k] = v;
  const item: HistoryItem<Reason> = { at: e.metadata.occurredAt, type: e.type, actor: { sub: e.metadata.actor.sub, role: e.metadata.actor.role }, correlationId: e.metadata.correlationId, changes };
  if (data.reason !== undefined && data.reason !== null) item.reason = data.reason as Reason;
  return item;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = 'must be an ISO-8601 instant such as 2026-03-09T14:00:00Z';

/** `?asOf=<instant>`: the resource as it stood then. A malformed one is a 400 naming `asOf`. */
export class AsOfQueryDto {
  @ApiPropertyOptional({ example: '2026-03-09T14:00:00Z', description: 'answer the state as it stood at this instant, folded from the events' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  asOf?: string;
}

/**
 * The prefix of a resource's changes that had happened at `asOf`: the changes in the order they were
 * decided, up to the first one after it. (Decisions are recorded in order; a prefix is a state the
 * resource really had, even where a test clock was set back between two of them.)
 */
export function upTo<T>(changes: readonly T[], asOf: Date, at: (change: T) => string): T[] {
  const limit = asOf.getTime();
  const i = changes.findIndex((c) => Date.parse(at(c)) > limit);
  return i === -1 ? [...changes] : changes.slice(0, i);
}
