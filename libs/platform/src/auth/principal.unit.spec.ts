import { mayViewParties, partyScope, type Principal } from './principal';

const admin: Principal = { sub: 'u1', agencyId: 'ag', role: 'agency-admin' };
const assistant: Principal = { sub: 'u2', agencyId: 'ag', role: 'assistant', assistantId: 'a1' };
const client: Principal = { sub: 'u3', agencyId: 'ag', role: 'client', clientId: 'c1' };

describe('partyScope', () => {
  it('gives the agency what it asked for', () => {
    expect(partyScope({}, admin)).toEqual({ agencyId: 'ag' });
    expect(partyScope({ assistantId: 'a2', clientId: 'c2' }, admin)).toEqual({ agencyId: 'ag', assistantId: 'a2', clientId: 'c2' });
  });

  it('narrows an assistant to their own, keeping the client they asked for', () => {
    expect(partyScope({}, assistant)).toEqual({ agencyId: 'ag', assistantId: 'a1' });
    expect(partyScope({ assistantId: 'a1', clientId: 'c2' }, assistant)).toEqual({ agencyId: 'ag', assistantId: 'a1', clientId: 'c2' });
    expect(partyScope({ assistantId: 'a2' }, assistant)).toBeNull();
  });

  it('narrows a client to its own, keeping the assistant it asked for', () => {
    expect(partyScope({}, client)).toEqual({ agencyId: 'ag', clientId: 'c1' });
    expect(partyScope({ assistantId: 'a2' }, client)).toEqual({ agencyId: 'ag', assistantId: 'a2', clientId: 'c1' });
    expect(partyScope({ clientId: 'c2' }, client)).toBeNull();
  });
});

describe('mayViewParties', () => {
  const parties = { assistantId: 'a1', clientId: 'c1' };

  it('lets the agency, the assistant and the client see it', () => {
    expect([admin, assistant, client].map((p) => mayViewParties(parties, p))).toEqual([true, true, true]);
  });

  it('hides it from another assistant or client', () => {
    expect(mayViewParties({ assistantId: 'a2', clientId: 'c1' }, assistant)).toBe(false);
    expect(mayViewParties({ assistantId: 'a1', clientId: 'c2' }, client)).toBe(false);
  });
});
