import { testDatabase, type TestDatabase } from '@vaops/testing';
import { findPage } from './pagination';

interface Row {
  _id: string;
  agencyId: string;
  period: string;
}

describe('findPage (keyset pages in key, _id order, on the real server)', () => {
  let t: TestDatabase;
  const rows: Row[] = [
    { _id: 'b', agencyId: 'ag', period: '2026-01' },
    { _id: 'a', agencyId: 'ag', period: '2026-02' },
    { _id: 'c', agencyId: 'ag', period: '2026-01' },
    { _id: 'd', agencyId: 'other', period: '2026-01' },
    { _id: 'e', agencyId: 'ag', period: '2026-03' },
  ];

  beforeAll(async () => {
    t = await testDatabase('find-page');
    await t.db.collection<Row>('rows').insertMany(rows);
  });
  afterAll(() => t.drop());

  const ids = (found: Row[]) => found.map((r) => r._id);

  it('returns limit + 1 matches in order, then those after the last one returned', async () => {
    const rowsOf = t.db.collection<Row>('rows');
    const first = await findPage(rowsOf, { agencyId: 'ag' }, 'period', undefined, 2);
    expect(ids(first)).toEqual(['b', 'c', 'a']);
    const next = await findPage(rowsOf, { agencyId: 'ag' }, 'period', ['2026-01', 'c'], 2);
    expect(ids(next)).toEqual(['a', 'e']);
  });

  it('returns every match without a limit, and keeps an $and of the filter', async () => {
    const rowsOf = t.db.collection<Row>('rows');
    expect(ids(await findPage(rowsOf, { agencyId: 'ag' }, 'period', ['2026-01', 'b'], undefined))).toEqual(['c', 'a', 'e']);
    expect(ids(await findPage(rowsOf, { $and: [{ period: { $lt: '2026-03' } }] }, 'period', ['2026-01', 'c'], undefined))).toEqual(['d', 'a']);
  });
});
