import { Topics, type ClientRegisteredV1, type EventEnvelope } from '@vaops/contracts';
import { applyVersioned, type ProjectionDefinition } from '@vaops/projections';

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

export const clientDirectoryProjection = (topicPrefix = ''): ProjectionDefinition => ({
  name: CLIENT_DIRECTORY,
  topics: [`${topicPrefix}${Topics.clients}`],
  collections: { client_directory: { indexes: [{ key: { agencyId: 1, _id: 1 } }] } },
  handlers: {
    ClientRegistered: async (e: EventEnvelope, store) => {
      const d = e.data as ClientRegisteredV1;
      await applyVersioned(store.collection('client_directory'), d.clientId, e.version, {
        $set: { agencyId: e.metadata.agencyId, name: d.name, email: d.email, timezone: d.timezone, currency: d.currency },
      });
    },
  },
});
