import { MongoClient, type Document } from 'mongodb';
import { ConcurrencyConflictError } from '@vaops/event-sourcing';
import { describeEventStoreContract, queryPlan, testDatabase, testMetadata, testServerUrls, type TestDatabase } from '@vaops/testing';
import { MongoEventStore } from './mongo-event-store';

const ev = (n: number) => ({ type: 'Counted', data: { n } });

describeEventStoreContract('MongoDB (real FerretDB server)', async () => {
  const t = await testDatabase('es');
  const store = new MongoEventStore(t.db);
  await store.init();
  return { store, teardown: t.drop };
});

describe('MongoEventStore on the real server', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await testDatabase('es_mongo');
  });
  afterEach(async () => t.drop());

  it('refuses an append inside a commit also when this process never saw the stream', async () => {
    const writer = new MongoEventStore(t.db);
    await writer.init();
    await writer.appendToStream('x', 0, [ev(1), ev(2), ev(3)], testMetadata());
    const cold = new MongoEventStore(t.db);
    await expect(cold.appendToStream('x', 2, [ev(9)], testMetadata())).rejects.toBeInstanceOf(ConcurrencyConflictError);
    await expect(cold.appendToStream('x', 3, [ev(4)], testMetadata())).resolves.toEqual(expect.objectContaining({ nextVersion: 4 }));
  });

  it('hands the relay every unpublished event across many windows, in position order, late commits included', async () => {
    const store = new MongoEventStore(t.db);
    await store.init();
    for (let i = 0; i < 2_600; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => store.appendToStream(`w-${i + j}`, 0, [ev(i + j)], testMetadata())));
    }
    // the relay of another process, which reads the outbox from the store (this one would hand it what
    // it wrote from memory); the commit at position 5 is not visible yet when it passes (a slow writer)
    const relay = new MongoEventStore(t.db);
    const commits = t.db.collection<{ _id: string; position: number }>('events');
    const slow = (await commits.findOne({ position: 5 }))!;
    await commits.deleteOne({ _id: slow._id });
    const seen: number[] = [];
    const drain = async () => {
      for (;;) {
        const batch = await relay.fetchUnpublished(500);
        if (batch.length === 0) return;
        seen.push(...batch.map((e) => e.position));
        await relay.markPublished(batch.map((e) => ({ eventId: e.eventId, at: null })), {});
      }
    };
    await drain();
    expect(seen).toHaveLength(2_599);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await relay.publication(5)).toBeUndefined(); // a hole: nothing there (yet)
    // the slow writer's commit shows up: published on the relay's next look, not lost behind the window
    await commits.insertOne(slow);
    expect(await relay.publication(5)).toEqual({ status: 'pending' });
    await drain();
    expect(seen.slice(2_599)).toEqual([5]);
    expect(await relay.publication(5)).toEqual({ status: 'private', watermark: {} });
    expect(await relay.backlog()).toBe(0);
  });

  it("answers a read of its own write that the relay has not published without looking the commit up", async () => {
    const client = new MongoClient(testServerUrls().mongoUrl, { monitorCommands: true });
    await client.connect();
    const finds: string[] = [];
    client.on('commandStarted', (e) => {
      if (e.commandName === 'find') finds.push((e.command as Document).find as string);
    });
    try {
      const db = client.db(t.name);
      const store = new MongoEventStore(db);
      await store.init();
      const single = await store.appendToStream('p-1', 0, [ev(1)], testMetadata());
      const several = await store.appendToStream('p-2', 0, [ev(2), ev(3), ev(4)], testMetadata());
      finds.length = 0;
      expect(await store.publication(single.lastPosition)).toEqual({ status: 'pending' });
      expect(await store.publication(several.lastPosition)).toEqual({ status: 'pending' });
      expect(await store.publication(several.lastPosition - 1)).toEqual({ status: 'pending' });
      // only the publication records are asked: the commits are this process's own
      expect(finds).toEqual(['events_publications', 'events_publications', 'events_publications']);
      // another process, which did not write them, looks them up and finds them pending too
      const other = new MongoEventStore(db);
      finds.length = 0;
      expect(await other.publication(several.lastPosition)).toEqual({ status: 'pending' });
      expect(finds).toContain('events');
      // once published, the answer is the publication, and no commit is taken for pending any more
      const batch = await store.fetchUnpublished(10);
      await store.markPublished(batch.map((e) => ({ eventId: e.eventId, at: null })), {});
      expect(await store.publication(single.lastPosition)).toEqual({ status: 'private', watermark: {} });
      expect(await other.publication(several.lastPosition)).toEqual({ status: 'private', watermark: {} });
    } finally {
      await client.close();
    }
  });

  it('sends only queries that an index answers on its hot paths', async () => {
    const client = new MongoClient(testServerUrls().mongoUrl, { monitorCommands: true });
    await client.connect();
    const filters: { collection: string; filter: Document }[] = [];
    client.on('commandStarted', (e) => {
      const c = e.command as Document;
      if (e.commandName === 'find') filters.push({ collection: c.find, filter: c.filter ?? {} });
      if (e.commandName === 'update') for (const u of c.updates as Document[]) filters.push({ collection: c.update, filter: u.q });
      if (e.commandName === 'findAndModify') filters.push({ collection: c.findAndModify, filter: c.query });
      if (e.commandName === 'delete') for (const d of c.deletes as Document[]) filters.push({ collection: c.delete, filter: d.q });
    });
    try {
      const db = client.db(t.name);
      const store = new MongoEventStore(db);
      await store.init();
      for (let i = 0; i < 20; i++) await store.appendToStream(`h-${i % 4}`, 2 * Math.floor(i / 4), [ev(i), ev(i)], testMetadata());
      const cold = new MongoEventStore(db);
      await cold.appendToStream('h-0', 10, [ev(99)], testMetadata()); // the boundary check of a cold store
      await store.readStream('h-1', { after: 4 });
      const batch = await store.fetchUnpublished(7);
      await store.markPublished(batch.map((e) => ({ eventId: e.eventId, at: null })), {});
      await store.publication(batch[0].position);
      await store.publication(batch[0].position + 1);
      await store.highestPosition();
      await store.backlog();
      expect(filters.length).toBeGreaterThan(10);
      const unindexed: string[] = [];
      for (const { collection, filter } of filters) {
        const plan = await queryPlan(db.collection(collection), filter);
        if (!plan.indexed) unindexed.push(`${collection} ${JSON.stringify(filter)}: ${plan.plan.join(' / ')}`);
      }
      expect(unindexed).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
