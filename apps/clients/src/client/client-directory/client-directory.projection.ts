import { Controller, Injectable } from '@nestjs/common';
import type { Filter } from 'mongodb';
import { erasedPersonalData, Topics, type PersonalData, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, collectionOf, readModelFor, type ProjectionSpec } from '@vaops/platform';
import { applyVersioned, type ReadModelStore } from '@vaops/projections';

export interface ClientDirectoryDoc {
  _id: string;
  _v: number;
  agencyId: string;
  /** Encrypted under the client's key; the erased form once the client is erased. */
  name: PersonalData;
  email: PersonalData;
  timezone: string;
  currency: string;
}

export const CLIENT_DIRECTORY = 'clients.client-directory';
const COLL = 'client_directory';

export const clientDirectorySpec: ProjectionSpec = {
  name: CLIENT_DIRECTORY,
  topics: [Topics.clients],
  collections: { [COLL]: { indexes: [{ key: { agencyId: 1, _id: 1 } }] } },
};

@Controller()
export class ClientDirectoryProjection {
  @ProjectionHandler(clientDirectorySpec, 'ClientRegistered')
  async clientRegistered(e: PublicEvent<'ClientRegistered'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await applyVersioned(store.collection(COLL), d.clientId, e.version, {
      $set: { agencyId: e.metadata.agencyId, name: d.name, email: d.email, timezone: d.timezone, currency: d.currency },
    });
  }

  // the client's own stream: the ciphertext goes too, so a rebuild after the erasure writes the same document
  @ProjectionHandler(clientDirectorySpec, 'PersonErased')
  async personErased(e: PublicEvent<'PersonErased'>, store: ReadModelStore): Promise<void> {
    if (e.data.kind !== 'client') return;
    const erased = erasedPersonalData(e.data.personId);
    await applyVersioned(store.collection(COLL), e.data.personId, e.version, { $set: { name: erased, email: erased } });
  }
}

/** Which of an agency's clients a page may hold: one, some, those after a cursor. */
export interface ClientIds {
  is?: string;
  in?: string[];
  after?: string;
}

/** The client directory, as the routes read it. */
@Injectable()
export class ClientDirectory extends readModelFor(CLIENT_DIRECTORY, { directory: collectionOf<ClientDirectoryDoc>(COLL) }) {
  /** A page of the agency's clients by id, with one more than `limit` when another page follows. */
  page(agencyId: string, ids: ClientIds, limit: number): Promise<ClientDirectoryDoc[]> {
    const idFilter: Record<string, unknown> = {};
    if (ids.is !== undefined) idFilter.$eq = ids.is;
    if (ids.in !== undefined) idFilter.$in = ids.in;
    if (ids.after !== undefined) idFilter.$gt = ids.after;
    const filter: Filter<ClientDirectoryDoc> = { agencyId };
    if (Object.keys(idFilter).length > 0) filter._id = idFilter;
    return this.collections.directory.find(filter).sort({ _id: 1 }).limit(limit + 1).toArray();
  }

  byId(agencyId: string, id: string): Promise<ClientDirectoryDoc | null> {
    return this.collections.directory.findOne({ _id: id, agencyId });
  }
}
