import { describeEventStoreContract, testDatabase } from '@vaops/testing';
import { MongoEventStore } from './mongo-event-store';

describeEventStoreContract('MongoDB (real FerretDB server)', async () => {
  const t = await testDatabase('es');
  const store = new MongoEventStore(t.db);
  await store.init();
  return { store, teardown: t.drop };
});
