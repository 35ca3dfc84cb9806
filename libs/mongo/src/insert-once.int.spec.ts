import { testDatabase, type TestDatabase } from '@vaops/testing';
import { insertOnce } from './insert-once';

interface IndexDoc {
  _id: string;
  assistantId: string;
  agencyId: string;
}

describe('insertOnce on the real FerretDB server', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await testDatabase('insert-once');
  });
  afterEach(async () => t.drop());
  const index = () => t.db.collection<IndexDoc>('index');
  const doc = (id: string, assistantId = 'a-1'): IndexDoc => ({ _id: id, assistantId, agencyId: 'agency-1' });

  it('inserts documents, and takes the same documents again (a retried request) as done', async () => {
    await insertOnce(index(), [doc('x'), doc('y')]);
    await insertOnce(index(), [doc('x'), doc('y')]);
    // the same content in another key order is the same document
    await insertOnce(index(), [{ agencyId: 'agency-1', assistantId: 'a-1', _id: 'x' }]);
    expect(await index().find().sort({ _id: 1 }).toArray()).toEqual([doc('x'), doc('y')]);
  });

  it('inserts the missing ones of a retry that got part of the way', async () => {
    await insertOnce(index(), [doc('x')]);
    await insertOnce(index(), [doc('x'), doc('y'), doc('z')]);
    expect(await index().countDocuments()).toBe(3);
  });

  it('refuses an id that holds another document with the duplicate-key error', async () => {
    await insertOnce(index(), [doc('x')]);
    await expect(insertOnce(index(), [doc('x', 'a-2')])).rejects.toMatchObject({ code: 11000 });
    expect(await index().findOne({ _id: 'x' })).toEqual(doc('x'));
  });
});
