import type { Document } from 'mongodb';
import type { EventEnvelope } from '@vaops/contracts';
import { MongoClient } from 'mongodb';
import { queryPlan, testDatabase, testServerUrls, type TestDatabase } from '@vaops/testing';
import { REVISION, liveStore, type ProjectionDefinition } from './definition';
import { hashCollection } from './hash';
import { ReadModelConflictError, applyBatch, applyUpdate, matches } from './unit-of-work';
import { applyIfNewer, applyVersioned } from './versioned';

let seq = 0;
const envelope = (streamId: string, version: number, type: string, data: object): EventEnvelope => ({
  eventId: `e-${++seq}`,
  type,
  schemaVersion: 1,
  streamId,
  version,
  position: seq,
  metadata: { agencyId: 'a', actor: { sub: 'u', role: 'agency-admin' }, correlationId: 'c', causationId: 'c', occurredAt: `2026-03-01T10:00:${String(seq % 60).padStart(2, '0')}.000Z` },
  data,
});

/** Totals per stream (applyVersioned), a list per owner (applyIfNewer on another key), and a $max upsert. */
const projection: ProjectionDefinition = {
  name: 'test.uow',
  topics: ['t'],
  collections: { totals: {}, owners: {}, seen: {} },
  handlers: {
    Counted: async (e, store) => {
      const d = e.data as { n: number; owner: string };
      await applyVersioned(store.collection('totals'), e.streamId, e.version, { $inc: { total: d.n }, $push: { ns: d.n }, $set: { owner: d.owner } });
      await applyIfNewer(store.collection('owners'), `${d.owner}:${e.streamId}`, e.version, { $set: { last: d.n } });
      await store.collection<{ _id: string; at: string }>('seen').updateOne({ _id: d.owner }, { $max: { at: e.metadata.occurredAt } }, { upsert: true });
    },
  },
};

const events = (streams: number, perStream: number) =>
  Array.from({ length: streams * perStream }, (_, i) => envelope(`s${i % streams}`, Math.floor(i / streams) + 1, 'Counted', { n: i, owner: `o${i % 3}` }));

describe('applyBatch on the real server', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await testDatabase('uow');
  });
  afterEach(async () => t.drop());

  const hashes = async (db = t.db) => Object.fromEntries(await Promise.all(['totals', 'owners', 'seen'].map(async (c) => [c, (await hashCollection(db.collection(c))).hash])));

  it('gives the read model that applying each event on the server gives, writing each document once', async () => {
    const all = events(20, 10);
    const oneByOne = await testDatabase('uow_ref');
    try {
      for (const e of all) await projection.handlers.Counted!(e, liveStore(oneByOne.db));
      const r = await applyBatch(projection, all, liveStore(t.db));
      expect(r).toEqual({ events: 200, written: 20 + 60 + 3 });
      expect(await hashes()).toEqual(await hashes(oneByOne.db));
      expect(await t.db.collection('totals').findOne({ _id: 's3' as never })).toMatchObject({ _v: 10, total: 3 + 23 + 43 + 63 + 83 + 103 + 123 + 143 + 163 + 183, [REVISION]: 1 });
    } finally {
      await oneByOne.drop();
    }
  });

  it('changes and writes nothing for a batch delivered again, in part or whole', async () => {
    const all = events(5, 6);
    await applyBatch(projection, all.slice(0, 20), liveStore(t.db));
    await applyBatch(projection, all.slice(20), liveStore(t.db));
    const before = await hashes();
    expect(await applyBatch(projection, all.slice(10, 25), liveStore(t.db))).toEqual({ events: 15, written: 0 });
    expect(await applyBatch(projection, all, liveStore(t.db))).toEqual({ events: 30, written: 0 });
    expect(await hashes()).toEqual(before);
  });

  it('refuses to put its documents over ones another writer changed since it read them', async () => {
    const all = events(2, 4);
    await applyBatch(projection, all.slice(0, 4), liveStore(t.db));
    // another member of the group wrote s0 in between (a rebalance): this batch read the old revision
    const store = liveStore(t.db);
    const slow = {
      collection: <T extends Document>(name: string) => {
        const coll = store.collection<T>(name);
        return new Proxy(coll, {
          get: (target, prop) =>
            prop === 'bulkWrite'
              ? async (...args: Parameters<typeof target.bulkWrite>) => {
                  if (name === 'totals') await t.db.collection('totals').updateOne({ _id: 's0' as never }, { $set: { meddled: true }, $inc: { [REVISION]: 1 } });
                  return target.bulkWrite(...args);
                }
              : Reflect.get(target, prop),
        });
      },
    };
    await expect(applyBatch(projection, all.slice(4), slow)).rejects.toBeInstanceOf(ReadModelConflictError);
    // applied again from the store (what the consumer's retry does), the guards make it exact
    await applyBatch(projection, all.slice(4), liveStore(t.db));
    expect(await t.db.collection('totals').findOne({ _id: 's0' as never })).toMatchObject({ _v: 4, total: 0 + 2 + 4 + 6, meddled: true });
  });

  it('keeps the number 7 and the string "7" apart, as _ids of two documents', async () => {
    const byKind: ProjectionDefinition = {
      name: 'test.uow.kinds',
      topics: ['t'],
      collections: { kinds: {} },
      handlers: {
        Counted: async (e, store) => {
          const id = (e.data as { n: number }).n % 2 === 0 ? 7 : '7';
          await store.collection<{ _id: number | string; n: number }>('kinds').updateOne({ _id: id }, { $inc: { n: 1 } }, { upsert: true });
        },
      },
    };
    const all = Array.from({ length: 5 }, (_, i) => envelope('k', i + 1, 'Counted', { n: i }));
    await applyBatch(byKind, all.slice(0, 2), liveStore(t.db));
    await applyBatch(byKind, all.slice(2), liveStore(t.db)); // the second batch loads both from the server
    const docs = await t.db.collection('kinds').find({}, { projection: { [REVISION]: 0 } }).toArray();
    expect(docs.sort((a, b) => typeof a._id === 'number' ? -1 : typeof b._id === 'number' ? 1 : 0)).toEqual([{ _id: 7, n: 3 }, { _id: '7', n: 2 }]);
  });

  it('reads its documents with one query per collection, by _id', async () => {
    const client = new MongoClient(testServerUrls().mongoUrl, { monitorCommands: true });
    await client.connect();
    const finds: Document[] = [];
    client.on('commandStarted', (e) => {
      if (e.commandName === 'find') finds.push(e.command as Document);
    });
    try {
      const db = client.db(t.name);
      await applyBatch(projection, events(50, 4), liveStore(db));
      expect(finds.map((f) => f.find).sort()).toEqual(['owners', 'seen', 'totals']);
      for (const f of finds) expect((await queryPlan(db.collection(f.find), f.filter)).indexed).toBe(true);
    } finally {
      await client.close();
    }
  });
});

describe('the in-memory rules', () => {
  it('match filters as the server does', () => {
    const doc = { _id: 'x', _v: 3, tags: ['a', 'b'], at: '2026-03-01' };
    expect(matches(doc, { _id: 'x', _v: 2 })).toBe(false);
    expect(matches(doc, { _id: 'x', _v: { $lt: 4 } })).toBe(true);
    expect(matches(doc, { tags: 'b' })).toBe(true);
    expect(matches(doc, { missing: null })).toBe(true);
    expect(matches(doc, { _v: { $gt: '1' } })).toBe(false); // types bracket
    expect(matches(doc, { $or: [{ _v: 1 }, { at: { $gte: '2026-02-28' } }] })).toBe(true);
  });

  it('apply update operators as the server does', () => {
    const doc = { _id: 'x', n: 1, list: [1], at: '2026-03-02', nested: { a: 1 } };
    expect(applyUpdate(doc, { $inc: { n: 2, m: 1 }, $push: { list: { $each: [2, 3] } }, $max: { at: '2026-03-01' }, $set: { 'nested.b': 2 }, $unset: { gone: '' } }, false)).toEqual({
      _id: 'x',
      n: 3,
      m: 1,
      list: [1, 2, 3],
      at: '2026-03-02',
      nested: { a: 1, b: 2 },
    });
    expect(applyUpdate({ _id: 'y' }, { $setOnInsert: { c: 1 }, $min: { low: 5 } }, true)).toEqual({ _id: 'y', c: 1, low: 5 });
    expect(doc.n).toBe(1); // the input is not changed
  });
});
