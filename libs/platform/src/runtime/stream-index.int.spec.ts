import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { testDatabase, type TestDatabase } from '@vaops/testing';
import type { Principal } from '../auth/principal';
import { RUNTIME } from '../tokens';
import { READ_MODELS } from './read-model';
import { streamIndex, type StreamIndexDoc } from './stream-index';

interface ThingIndexDoc extends StreamIndexDoc {
  ownerId: string;
}

@Injectable()
class ThingIndex extends streamIndex<ThingIndexDoc>('thing_index') {
  async add(entry: ThingIndexDoc): Promise<void> {
    await this.collection.insertOne(entry);
  }

  /** The agency sees every thing, an assistant only its own. */
  ownerOf(id: string, p: Principal): Promise<ThingIndexDoc> {
    return this.visibleEntry(id, p, (e) => p.role !== 'assistant' || e.ownerId === p.assistantId, () => new Error(`thing ${id} not found`));
  }
}

describe('streamIndex (on the real server)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase('stream-index');
  });
  afterAll(() => t.drop());

  it('indexes its entries by agency at start and finds an id only for whom may see it', async () => {
    const runtime = { [READ_MODELS]: { db: t.db, waitForProjection: async () => undefined } };
    @Module({ providers: [{ provide: RUNTIME, useValue: runtime }, ThingIndex] })
    class TestModule {}
    const app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    try {
      const keys = (await t.db.collection('thing_index').indexes()).map((i) => i.key);
      expect(keys).toContainEqual({ agencyId: 1 });
      const index = app.get(ThingIndex);
      await index.add({ _id: 't1', agencyId: 'ag', ownerId: 'a1' });
      const owner: Principal = { sub: 'u', agencyId: 'ag', role: 'assistant', assistantId: 'a1' };
      await expect(index.ownerOf('t1', owner)).resolves.toEqual({ _id: 't1', agencyId: 'ag', ownerId: 'a1' });
      await expect(index.ownerOf('t1', { sub: 'u', agencyId: 'ag', role: 'agency-admin' })).resolves.toMatchObject({ _id: 't1' });
      await expect(index.ownerOf('t1', { ...owner, assistantId: 'a2' })).rejects.toThrow('thing t1 not found');
      await expect(index.ownerOf('t1', { sub: 'u', agencyId: 'other', role: 'agency-admin' })).rejects.toThrow('thing t1 not found');
      await expect(index.ownerOf('t2', owner)).rejects.toThrow('thing t2 not found');
    } finally {
      await app.close();
    }
  });
});
