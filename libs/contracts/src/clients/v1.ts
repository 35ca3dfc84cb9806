import type { EventEnvelope } from '../envelope';
import type { Money } from '../money';

/**
 * Public events of the clients service, schema version 1. Documented in docs/events.md.
 * Adding an optional field keeps the version; anything else is a new version beside this one.
 */
export interface ClientRegisteredV1 {
  clientId: string;
  name: string;
  email: string;
  timezone: string;
  currency: string;
}

export interface WorkingHoursV1 {
  /** ISO weekday 1 (Monday) .. 7 (Sunday). */
  day: number;
  /** Local "HH:mm" in the assistant's time zone. */
  start: string;
  end: string;
}

export interface AssistantRegisteredV1 {
  assistantId: string;
  name: string;
  email: string;
  timezone: string;
  weeklyCapacityHours: number;
  skills: string[];
  payRate: Money;
  workingHours: WorkingHoursV1[];
}

export type ClientsEventV1 =
  | EventEnvelope<'ClientRegistered', ClientRegisteredV1>
  | EventEnvelope<'AssistantRegistered', AssistantRegisteredV1>;

export const ClientsEventTypesV1 = ['ClientRegistered', 'AssistantRegistered'] as const;
