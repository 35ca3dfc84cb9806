import { GroupQueue, type GroupResult } from './group-queue';

describe('GroupQueue', () => {
  it('runs a request alone at once, and groups those that arrive while one is under way (at most max)', async () => {
    const groups: number[][] = [];
    const q = new GroupQueue<number, number>(3, async (items) => {
      groups.push(items);
      await new Promise((r) => setTimeout(r, 10));
      return items.map((i): GroupResult<number> => ({ ok: true, value: i * 10 }));
    });
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => q.submit(i)));
    expect(answers).toEqual([10, 20, 30, 40, 50, 60]);
    expect(groups).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('fails only the requests run refuses, and every request of a group whose run throws', async () => {
    let calls = 0;
    const q = new GroupQueue<string, string>(10, async (items) => {
      calls++;
      if (items.includes('boom')) throw new Error('the whole group');
      return items.map((i): GroupResult<string> => (i === 'bad' ? { ok: false, error: new Error(`refused ${i}`) } : { ok: true, value: i }));
    });
    const first = q.submit('first');
    const group = [q.submit('ok'), q.submit('bad')].map((p) => p.then((v) => v, (e: Error) => e.message));
    expect(await first).toBe('first');
    expect(await Promise.all(group)).toEqual(['ok', 'refused bad']);
    await expect(q.submit('boom')).rejects.toThrow('the whole group');
    expect(await q.submit('after')).toBe('after'); // the queue goes on
    expect(calls).toBe(4);
  });
});
