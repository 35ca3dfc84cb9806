import { queryPlan, testDatabase, type TestDatabase } from '@vaops/testing';

/**
 * What the project's own MongoDB-compatible server (FerretDB v1.24.2 with infra/local/ferretdb/patches)
 * must do like MongoDB 7, because the event store, the projections and the leases depend on it:
 * answer filters on indexed fields from the index, keep MongoDB's matching rules while doing so, and
 * make each single-document write atomic.
 */
describe('the local MongoDB-compatible server', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase('local_server');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('applies 200 concurrent $inc of one document exactly once each', async () => {
    const coll = t.db.collection<{ _id: string; n: number }>('counter');
    await coll.insertOne({ _id: 'c', n: 0 });
    await Promise.all(Array.from({ length: 200 }, () => coll.findOneAndUpdate({ _id: 'c' }, { $inc: { n: 1 } })));
    await Promise.all(Array.from({ length: 100 }, () => coll.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
    expect((await coll.findOne({ _id: 'c' }))?.n).toBe(300);
  });

  it('lets one of 20 concurrent compare-and-set updates win', async () => {
    const coll = t.db.collection<{ _id: string; v: number; by?: number }>('cas');
    await coll.insertOne({ _id: 'x', v: 1 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => coll.updateOne({ _id: 'x', v: 1 }, { $set: { v: 2, by: i } })));
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
  });

  it('answers an update command of 500 statements (upstream v1.24.2 hung from the 100th)', async () => {
    const coll = t.db.collection<{ _id: string; n: number }>('bulk');
    await coll.insertMany(Array.from({ length: 500 }, (_, i) => ({ _id: `k${i}`, n: 0 })));
    const r = await coll.bulkWrite(
      Array.from({ length: 500 }, (_, i) => ({ updateOne: { filter: { _id: `k${i}` }, update: { $inc: { n: 1 } } } })),
      { ordered: false },
    );
    expect(r.modifiedCount).toBe(500);
  });

  describe('with an index on (streamId, version) and 3,000 documents', () => {
    type Doc = { _id: string; streamId: unknown; version: number; tag?: unknown };
    beforeAll(async () => {
      const coll = t.db.collection<Doc>('indexed');
      await coll.createIndex({ streamId: 1, version: 1 }, { unique: true });
      await coll.createIndex({ tag: 1 });
      const docs: Doc[] = Array.from({ length: 3000 }, (_, i) => ({ _id: `d${i}`, streamId: `s${i % 30}`, version: Math.floor(i / 30) + 1 }));
      docs.push({ _id: 'arr', streamId: ['s1', 'zz'], version: 1 }, { _id: 'num', streamId: 7, version: 1 });
      docs.push({ _id: 't1', streamId: 'tags', version: 1, tag: 'a!' }, { _id: 't2', streamId: 'tags', version: 2, tag: 'a' }, { _id: 't3', streamId: 'tags', version: 3, tag: ['b', 'a'] });
      await coll.insertMany(docs);
    });

    it('answers an equality and a range on the index prefix from the index', async () => {
      const coll = t.db.collection<Doc>('indexed');
      const plan = await queryPlan(coll, { streamId: 's3', version: { $gt: 90 } });
      expect(plan).toEqual(expect.objectContaining({ indexed: true }));
      const found = await coll.find({ streamId: 's3', version: { $gt: 90 } }).toArray();
      expect(found.map((d) => d.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 91 + i));
      expect((await queryPlan(coll, { _id: 'd5' })).indexed).toBe(true);
      expect((await queryPlan(coll, { _id: { $in: ['d5', 'd6'] } })).indexed).toBe(true);
    });

    it('still matches array elements and keeps type bracketing, as MongoDB does', async () => {
      const coll = t.db.collection<Doc>('indexed');
      expect((await coll.find({ streamId: 's1', version: 1 }).toArray()).map((d) => d._id).sort()).toEqual(['arr', 'd1']);
      expect((await coll.find({ streamId: 'zz' }).toArray()).map((d) => d._id)).toEqual(['arr']);
      expect((await coll.find({ streamId: 7 }).toArray()).map((d) => d._id)).toEqual(['num']);
      expect(await coll.countDocuments({ streamId: { $gt: 's2', $lt: 's3' } })).toBe(1001); // s20..s29, and the array (its 'zz' is > 's2', its 's1' < 's3': MongoDB's rule)
      // 'a!' > 'a': a bound in JSON text would get this wrong ('!' sorts before the closing quote)
      expect((await coll.find({ tag: { $gt: 'a' } }).toArray()).map((d) => d._id).sort()).toEqual(['t1', 't3']);
      expect((await coll.find({ tag: { $in: ['a'] } }).toArray()).map((d) => d._id).sort()).toEqual(['t2', 't3']);
    });

    it('answers an $or of index prefixes from the index, each member with its own bounds', async () => {
      const coll = t.db.collection<Doc>('indexed');
      const filter = { $or: [{ streamId: 's3', version: { $gt: 98 } }, { streamId: 's4', version: { $gt: 99 } }, { streamId: 'zz' }] };
      expect((await queryPlan(coll, filter)).indexed).toBe(true);
      const found = await coll.find(filter).toArray();
      expect(found.map((d) => `${String(d.streamId)}@${d.version}`).sort()).toEqual(['s1,zz@1', 's3@100', 's3@99', 's4@100']);
    });

    it('shows a filter it cannot use an index for as a scan', async () => {
      const plan = await queryPlan(t.db.collection<Doc>('indexed'), { missing: 'x' } as never);
      expect(plan.indexed).toBe(false);
      // an $or with a member that could match anything is not pushed down, and still answers right
      const mixed = { $or: [{ streamId: 's3', version: { $gt: 99 } }, { missing: { $exists: false }, version: { $gt: 100 } }] };
      expect((await queryPlan(t.db.collection<Doc>('indexed'), mixed as never)).indexed).toBe(false);
      expect((await t.db.collection<Doc>('indexed').find(mixed as never).toArray()).map((d) => d._id)).toEqual(['d2973']);
    });
  });
});
