import { newId } from '@vaops/event-sourcing';
import type { EventEnvelope, SealedPersonalData } from '@vaops/contracts';
import { PersonErasedError, PersonKeys, rotateMasterKey, type PersonKeyStore } from './person-keys';

const envelope = (data: object, over: Partial<EventEnvelope> = {}): EventEnvelope => ({
  eventId: newId(),
  type: 'ClientRegistered',
  schemaVersion: 2,
  streamId: 'client-x',
  version: 1,
  position: 1,
  metadata: { agencyId: 'a-1', actor: { sub: 'u', role: 'agency-admin' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-12-01T00:00:00.000Z' },
  data,
  ...over,
});

/**
 * One contract for the person keyring over every key store: the in-memory store runs it in a unit
 * spec, the MongoDB store against the real local server.
 */
export function describePersonKeysContract(name: string, setup: () => Promise<{ store: PersonKeyStore; teardown: () => Promise<void> }>): void {
  describe(`PersonKeys contract: ${name}`, () => {
    let store: PersonKeyStore;
    let teardown: () => Promise<void>;
    let keys: PersonKeys;

    beforeAll(async () => {
      ({ store, teardown } = await setup());
    });
    afterAll(async () => teardown());
    beforeEach(() => {
      keys = new PersonKeys(store);
    });

    it('seals and reveals a value under the person key; the ciphertext is not the text', async () => {
      const person = newId();
      const sealed = await keys.seal(person, 'Ann Jones');
      expect(sealed).toEqual({ pii: 'v1', person, iv: expect.any(String), ct: expect.any(String) });
      expect(JSON.stringify(sealed)).not.toContain('Ann');
      expect(await keys.reveal(sealed)).toBe('Ann Jones');
      // another process (no cache) reads it from the store
      expect(await new PersonKeys(store).reveal(sealed)).toBe('Ann Jones');
    });

    it('keeps one key per person, also when two processes create it at once', async () => {
      const person = newId();
      const [a, b] = await Promise.all([new PersonKeys(store).keyFor(person), new PersonKeys(store).keyFor(person)]);
      expect(a.equals(b)).toBe(true);
      expect((await keys.keyFor(person)).equals(a)).toBe(true);
    });

    it('creates the key of a new subject without looking for one, and answers the stored one when there is one', async () => {
      const person = newId();
      const get = jest.spyOn(store, 'get');
      try {
        await keys.create(person);
        const sealed = await keys.seal(person, 'Ann Jones'); // from the cache
        expect(get).not.toHaveBeenCalled();
        expect(await new PersonKeys(store).reveal(sealed)).toBe('Ann Jones');
        // created again (another process, a retried request): the stored key, so the value still opens
        const other = new PersonKeys(store);
        await other.create(person);
        expect(await other.reveal(sealed)).toBe('Ann Jones');
        // an erased subject gets no new key
        await keys.erase(person, 'ops');
        await expect(new PersonKeys(store).create(person)).rejects.toBeInstanceOf(PersonErasedError);
      } finally {
        get.mockRestore();
      }
    });

    it('stores the key wrapped, never the key itself', async () => {
      const person = newId();
      const key = await keys.keyFor(person);
      const stored = await store.get(person);
      expect(stored?.status).toBe('active');
      expect(JSON.stringify(stored)).not.toContain(key.toString('base64'));
    });

    it('a key wrapped under another master key does not open', async () => {
      const person = newId();
      const sealed = await keys.seal(person, 'secret');
      await expect(new PersonKeys(store, { masterKey: Buffer.alloc(32, 7) }).reveal(sealed)).rejects.toThrow();
    });

    it('erasing replaces the key by a tombstone: values read as erased, in this process and any other', async () => {
      const person = newId();
      const sealed = await keys.seal(person, 'Ann');
      const other = new PersonKeys(store);
      expect(await other.reveal(sealed)).toBe('Ann');
      const done = await keys.erase(person, 'ops-1');
      expect(done).toEqual({ erasedAt: expect.any(String), already: false });
      expect(await keys.isErased(person)).toBe(true);
      expect(await keys.reveal(sealed)).toBeNull();
      expect(await store.get(person)).toEqual({ personId: person, status: 'erased', erasedAt: done.erasedAt, erasedBy: 'ops-1' });
      // the other process still holds the key in its cache until it hears of the erasure
      other.forget(person);
      expect(await other.reveal(sealed)).toBeNull();
    });

    it('a second erasure keeps the first tombstone and says so', async () => {
      const person = newId();
      await keys.keyFor(person);
      const first = await keys.erase(person, 'ops-1');
      expect(await keys.erase(person, 'ops-2')).toEqual({ erasedAt: first.erasedAt, already: true });
      expect(await store.get(person)).toMatchObject({ erasedBy: 'ops-1' });
    });

    it('never creates a key again for an erased person, even one who never had one', async () => {
      const person = newId();
      await keys.erase(person, 'ops-1');
      await expect(keys.seal(person, 'Ann')).rejects.toBeInstanceOf(PersonErasedError);
      await expect(new PersonKeys(store).keyFor(person)).rejects.toBeInstanceOf(PersonErasedError);
      expect((await store.get(person))?.status).toBe('erased');
    });

    it('seals the plaintext an upcaster marked, the same bytes on every replay, and erased once the person is', async () => {
      const person = newId();
      const e = envelope({ clientId: person, name: { pii: 'unsealed', person, text: 'Ann' }, email: { pii: 'unsealed', person, text: 'ann@x.co' }, currency: 'USD' });
      const sealed = await keys.sealEvent(e);
      expect(JSON.stringify(sealed)).not.toContain('Ann');
      expect(JSON.stringify(sealed)).not.toContain('ann@x.co');
      const data = sealed.data as Record<string, never>;
      expect(data.currency).toBe('USD');
      expect(await keys.reveal(data.name)).toBe('Ann');
      expect(await keys.reveal(data.email)).toBe('ann@x.co');
      expect(await new PersonKeys(store).sealEvent(e)).toEqual(sealed);
      await keys.erase(person, 'ops-1');
      expect((await keys.sealEvent(e)).data).toEqual({ clientId: person, name: { pii: 'erased', person }, email: { pii: 'erased', person }, currency: 'USD' });
    });

    it('seals marked plaintext at any depth (a nested reason, an array of entries), each path with its own nonce', async () => {
      const [client, assistant, engagement] = [newId(), newId(), newId()];
      const text = (t: string) => ({ pii: 'unsealed', person: engagement, text: t });
      const e = envelope({ clientId: client, assistantId: assistant, capacityOverride: { reason: text('busy season') }, entries: [{ notes: text('same') }, { notes: text('same') }, { notes: null }] });
      const sealed = await keys.sealEvent(e);
      expect(JSON.stringify(sealed)).not.toContain('busy season');
      expect(JSON.stringify(sealed)).not.toContain('same');
      const d = sealed.data as { capacityOverride: { reason: SealedPersonalData }; entries: { notes: SealedPersonalData | null }[] };
      expect(await keys.reveal(d.capacityOverride.reason)).toBe('busy season');
      expect(await keys.reveal(d.entries[0].notes)).toBe('same');
      expect(await keys.reveal(d.entries[1].notes)).toBe('same');
      expect(d.entries[0].notes?.iv).not.toBe(d.entries[1].notes?.iv);
      expect(d.entries[2].notes).toBeNull();
      // bound to the event's parties: erasing the assistant destroys it
      expect(await store.get(engagement)).toMatchObject({ status: 'active', parties: [client, assistant] });
      expect(await new PersonKeys(store).sealEvent(e)).toEqual(sealed);
    });

    it('reads the keyring once for concurrent lookups of one person, and keeps no key read across an erasure heard meanwhile', async () => {
      const person = newId();
      const sealed = await keys.seal(person, 'Ann');
      let gets = 0;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const counting: PersonKeyStore = Object.assign(Object.create(store) as PersonKeyStore, {
        get: async (id: string) => {
          gets++;
          await gate;
          return store.get(id);
        },
      });
      const cold = new PersonKeys(counting);
      const both = Promise.all([cold.reveal(sealed), cold.reveal(sealed), cold.revealAll({ name: sealed, email: sealed }, '[erased]')]);
      // the erasure is heard while the key is being read
      cold.forget(person);
      release();
      expect(await both).toEqual(['Ann', 'Ann', { name: 'Ann', email: 'Ann' }]);
      expect(gets).toBe(1);
      // the key read before the forget was not kept: the next lookup reads the keyring again
      expect(await cold.reveal(sealed)).toBe('Ann');
      expect(gets).toBe(2);
      expect(await cold.reveal(sealed)).toBe('Ann');
      expect(gets).toBe(2);
    });

    it('PersonErased heard on the topic drops the cached key', async () => {
      const person = newId();
      const sealed = await keys.seal(person, 'Ann');
      await new PersonKeys(store).erase(person, 'ops-1');
      expect(await keys.reveal(sealed)).toBe('Ann'); // cached
      await keys.sealEvent(envelope({ personId: person, kind: 'client', erasedAt: '2026-12-01T00:00:00.000Z' }, { type: 'PersonErased', schemaVersion: 1 }));
      expect(await keys.reveal(sealed)).toBeNull();
    });

    it('an engagement key names its parties: erasing either destroys it, and none is made for an erased party', async () => {
      const [client, assistant, engagement, later] = [newId(), newId(), newId(), newId()];
      const summary = await keys.seal(engagement, 'Call about the Henderson contract', [client, assistant]);
      expect(await new PersonKeys(store).reveal(summary)).toBe('Call about the Henderson contract');
      expect(await store.get(engagement)).toMatchObject({ status: 'active', parties: [client, assistant] });
      await keys.erase(assistant, 'ops-1');
      expect(await keys.reveal(summary)).toBeNull();
      expect(await new PersonKeys(store).reveal(summary)).toBeNull();
      expect(await store.get(engagement)).toMatchObject({ status: 'erased', erasedBy: `erasure of ${assistant}` });
      // what a party still records on it keeps no text
      expect(await keys.sealOrErase(engagement, 'notice: moving on', [client, assistant])).toEqual({ pii: 'erased', person: engagement });
      expect(await keys.sealOrErase(later, 'a new engagement with them', [client, assistant])).toEqual({ pii: 'erased', person: later });
      expect((await store.get(later))?.status).toBe('erased');
      // the client's own key is untouched
      expect(await keys.reveal(await keys.seal(client, 'Cleo'))).toBe('Cleo');
    });

    it('reveals every personal value of a document, the erased ones as the given text', async () => {
      const [alive, gone] = [newId(), newId()];
      const doc = { id: 'x', amount: 12, at: '2026-01-01', name: await keys.seal(alive, 'Ann'), history: [{ reason: await keys.seal(gone, 'left'), hours: 3 }, { reason: null }] };
      await keys.erase(gone, 'ops');
      expect(await keys.revealAll(doc, '[erased]')).toEqual({ id: 'x', amount: 12, at: '2026-01-01', name: 'Ann', history: [{ reason: '[erased]', hours: 3 }, { reason: null }] });
      // a document whose only personal value is the erased form (text recorded after an erasure) reads as erased too
      expect(await keys.revealAll({ id: 'y', notes: { pii: 'erased', person: gone } }, '[erased]')).toEqual({ id: 'y', notes: '[erased]' });
      // a document whose only personal values are in the erased form (text recorded after an erasure)
      expect(await keys.revealAll({ title: { pii: 'erased', person: gone }, kind: 'review' }, '[erased]')).toEqual({ title: '[erased]', kind: 'review' });
    });

    it('rotates the master key: keys are wrapped again, every value stays readable, erased ones stay erased', async () => {
      const [oldMaster, newMaster] = [Buffer.alloc(32, 3), Buffer.alloc(32, 4)];
      const before = new PersonKeys(store, { masterKey: oldMaster });
      const [kept, gone] = [newId(), newId()];
      const sealed = await before.seal(kept, 'Ann');
      await before.seal(gone, 'Bo');
      await before.erase(gone, 'ops');
      // services read both while the rotation runs
      const during = new PersonKeys(store, { masterKey: newMaster, previousMasterKeys: [oldMaster] });
      expect(await during.reveal(sealed)).toBe('Ann');
      const first = await rotateMasterKey(store, oldMaster, newMaster, 2);
      expect(first.rewrapped).toBeGreaterThanOrEqual(1);
      // keys of the other cases here are under the development master key: named, left alone
      expect(first.unreadable).not.toContain(kept);
      expect(await new PersonKeys(store, { masterKey: newMaster }).reveal(sealed)).toBe('Ann');
      await expect(new PersonKeys(store, { masterKey: oldMaster }).reveal(sealed)).rejects.toThrow();
      expect((await store.get(gone))?.status).toBe('erased');
      expect(await rotateMasterKey(store, oldMaster, newMaster, 2)).toMatchObject({ rewrapped: 0, unreadable: first.unreadable });
      expect(await new PersonKeys(store).reveal(await new PersonKeys(store).seal(newId(), 'dev key still opens its own'))).toBe('dev key still opens its own');
    });
  });
}
