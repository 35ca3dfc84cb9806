import { newId, randomId, seededId, withSeededIds } from './ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const at = Date.UTC(2026, 2, 1, 9, 30, 0, 123);
const timestampOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('ids', () => {
  describe('seeded', () => {
    it('is the same for the same seed, time and counter, and a valid v7 of that time', () => {
      const id = seededId('request-a', at, 0);
      expect(seededId('request-a', at, 0)).toBe(id);
      expect(id).toMatch(V7);
      expect(timestampOf(id)).toBe(at);
    });

    it('differs by counter, by seed and by time', () => {
      const id = seededId('request-a', at, 0);
      expect(seededId('request-a', at, 1)).not.toBe(id);
      expect(seededId('request-b', at, 0)).not.toBe(id);
      expect(seededId('request-a', at + 1, 0)).not.toBe(id);
    });

    it('sorts the ids of one request in the order they were made', () => {
      const ids = Array.from({ length: 50 }, (_, n) => seededId('request-a', at, n));
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(50);
    });

    it('makes newId() repeat the same sequence in a context with the same seed, across awaits', async () => {
      const run = () =>
        withSeededIds({ seed: 'request-a', at }, async () => {
          const first = newId();
          await new Promise((r) => setTimeout(r, 1));
          return [first, newId(), newId()];
        });
      const [once, again] = await Promise.all([run(), run()]);
      expect(again).toEqual(once);
      expect(once).toEqual([0, 1, 2].map((n) => seededId('request-a', at, n)));
      const other = await withSeededIds({ seed: 'request-b', at }, async () => newId());
      expect(once).not.toContain(other);
    });

    it('leaves randomId() random inside a context', () => {
      const [a, b] = [withSeededIds({ seed: 's', at }, randomId), withSeededIds({ seed: 's', at }, randomId)];
      expect(a).not.toBe(b);
      expect(timestampOf(a)).not.toBe(at);
    });
  });

  describe('outside a context', () => {
    it('makes random v7 ids of the current time', () => {
      const before = Date.now();
      const [a, b] = [newId(), newId()];
      expect(a).toMatch(V7);
      expect(b).toMatch(V7);
      expect(a).not.toBe(b);
      expect(timestampOf(a)).toBeGreaterThanOrEqual(before);
      expect(timestampOf(a)).toBeLessThanOrEqual(Date.now());
    });
  });
});
