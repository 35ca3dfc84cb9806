import { Controller } from '@nestjs/common';
import { Topics, type PublicEvent } from '@vaops/contracts';
import { ProjectionHandler, type ProjectionSpec } from '@vaops/platform';
import { applyVersioned, type ReadModelStore } from '@vaops/projections';

export interface ClientDirectoryDoc {
  _id: string;
  _v: number;
  agencyId: string;
  name: string;
  email: string;
  timezone: string;
  currency: string;
}

export const CLIENT_DIRECTORY = 'clients.client-directory';

export const clientDirectorySpec: ProjectionSpec = {
  name: CLIENT_DIRECTORY,
  topics: [Topics.clients],
  collections: { client_directory: { indexes: [{ key: { agencyId: 1, _id: 1 } }] } },
};

@Controller()
export class ClientDirectoryProjection {
  @ProjectionHandler(clientDirectorySpec, 'ClientRegistered')
  async clientRegistered(e: PublicEvent<'ClientRegistered'>, store: ReadModelStore): Promise<void> {
    const d = e.data;
    await applyVersioned(store.collection('client_directory'), d.clientId, e.version, {
      $set: { agencyId: e.metadata.agencyId, name: d.name, email: d.email, timezone: d.timezone, currency: d.currency },
    });
  }
}
