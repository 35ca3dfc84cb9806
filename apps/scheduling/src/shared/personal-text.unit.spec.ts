import { MemoryPersonKeyStore, PersonKeys } from '@vaops/platform';
import { versionFor } from '@vaops/contracts';
import { resealText } from './personal-text';

describe("an appointment's free text under its engagement's key", () => {
  const outgoing = { engagementId: 'e-out', clientId: 'c-1', assistantId: 'a-out' };
  const replacement = { engagementId: 'e-new', clientId: 'c-1', assistantId: 'a-new' };

  it('is sealed under the engagement, bound to its two parties, and the erased form once one is erased', async () => {
    const store = new MemoryPersonKeyStore();
    const keys = new PersonKeys(store);
    const title = await keys.sealEngagementText(outgoing, 'Divorce papers');
    expect(title).toMatchObject({ pii: 'v1', person: 'e-out' });
    expect(JSON.stringify(title)).not.toContain('Divorce');
    expect(await store.get('e-out')).toMatchObject({ status: 'active', parties: ['c-1', 'a-out'] });
    await keys.erase('a-out', 'agency');
    expect(await keys.reveal(title)).toBeNull();
    expect(await keys.sealEngagementText(outgoing, 'later')).toEqual({ pii: 'erased', person: 'e-out' });
  });

  it("is copied to another engagement under that engagement's own key, so erasing the first party leaves the copy readable", async () => {
    const keys = new PersonKeys(new MemoryPersonKeyStore());
    const title = await keys.sealEngagementText(outgoing, 'Quarterly review');
    const copy = await resealText(keys, title, replacement);
    expect(copy).toMatchObject({ pii: 'v1', person: 'e-new' });
    await keys.erase('a-out', 'agency');
    expect(await keys.reveal(title)).toBeNull();
    expect(await keys.reveal(copy)).toBe('Quarterly review');
    // what can no longer be read is copied as erased; nothing stays nothing; plaintext of an older document is sealed
    expect(await resealText(keys, title, replacement)).toEqual({ pii: 'erased', person: 'e-new' });
    expect(await resealText(keys, null, replacement)).toBeNull();
    expect(await resealText(keys, undefined, replacement)).toBeNull();
    const fromPlain = await resealText(keys, 'Old title', replacement);
    expect(fromPlain).toMatchObject({ pii: 'v1', person: 'e-new' });
    expect(await keys.reveal(fromPlain)).toBe('Old title');
  });

  it('is published as v2 once sealed (or erased, or absent), as v1 when stored in plaintext before', () => {
    expect(versionFor(1, 'plain')).toBe(1);
    expect(versionFor(1, null)).toBe(2);
    expect(versionFor(1, { pii: 'erased', person: 'e' })).toBe(2);
  });
});
