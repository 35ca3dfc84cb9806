import type { EventEnvelope } from './envelope';
import type { AssistantRegisteredV1 } from './clients/v1';
import type { AssistantRegisteredV2 } from './clients/v2';

/** Turns the data of `type` at version N into its data at version N + 1. Pure: no lookups, no clock. */
export type Upcaster = (data: unknown, envelope: EventEnvelope) => unknown;

/** `Upcasters[type][n]` upcasts version n to n + 1. Every version but the latest of a type has one. */
export const Upcasters: Readonly<Record<string, Readonly<Record<number, Upcaster>>>> = {
  AssistantRegistered: {
    1: (data): AssistantRegisteredV2 => {
      const { weeklyCapacityHours, ...rest } = data as AssistantRegisteredV1;
      return { ...rest, weeklyCapacityMinutes: Math.round(weeklyCapacityHours * 60) };
    },
  },
};

/**
 * The envelope at the newest schema version its type has, applying one upcaster per version. Consumers
 * are written against the latest version only; the log keeps what was published.
 */
export function upcastEnvelope(envelope: EventEnvelope, latest: number): EventEnvelope {
  let current = envelope;
  while (current.schemaVersion < latest) {
    const step = Upcasters[current.type]?.[current.schemaVersion];
    if (!step) throw new Error(`no upcaster for ${current.type} v${current.schemaVersion}`);
    current = { ...current, schemaVersion: current.schemaVersion + 1, data: step(current.data, current) };
  }
  return current;
}
