import type { EventMetadata } from '@vaops/contracts';

export type { EventMetadata, Actor } from '@vaops/contracts';

/** A domain event as a decider returns it: a tagged union member. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
  /** Schema version of `data`; defaults to 1. */
  schemaVersion?: number;
}

/** An event as the store holds it. */
export interface StoredEvent<E extends DomainEvent = DomainEvent> {
  eventId: string;
  streamId: string;
  version: number;
  position: number;
  type: E['type'];
  schemaVersion: number;
  data: E['data'];
  metadata: EventMetadata;
}

/** Where the relay published an event; lets readers wait for a projection to reach it. */
export interface PublishedAt {
  topic: string;
  partition: number;
  offset: string;
}
