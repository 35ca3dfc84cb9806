import { describeEventStoreContract } from '@vaops/testing';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('in-memory', async () => ({ store: new InMemoryEventStore(), teardown: async () => undefined }));
