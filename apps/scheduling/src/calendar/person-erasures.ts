import { Controller } from '@nestjs/common';
import { Topics, type PublicEvent } from '@vaops/contracts';
import { PersonKeys, ProjectionHandler, type ProjectionSpec } from '@vaops/platform';

/** Not a read model: its consumer group and checkpoints only (no collection, never rebuilt). */
export const personErasuresSpec: ProjectionSpec = { name: 'scheduling.person-erasures', topics: [Topics.clients], collections: {} };

/**
 * Hears each erasure of the clients service, so the titles and reasons of the erased person's
 * engagements read as `[erased]` here at once rather than when this process's cached key expires.
 * The projection transport drops every cached key before a `PersonErased` reaches a handler (the
 * engagements the person shared are not known here); the person's own key goes too.
 */
@Controller()
export class PersonErasures {
  constructor(private readonly keys: PersonKeys) {}

  @ProjectionHandler(personErasuresSpec, 'PersonErased')
  async onPersonErased(e: PublicEvent<'PersonErased'>): Promise<void> {
    this.keys.forget(e.data.personId);
  }
}
