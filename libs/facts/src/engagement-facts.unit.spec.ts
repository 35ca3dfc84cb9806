import { DomainError } from '@vaops/event-sourcing';
import type { Principal } from '@vaops/platform';
import type { EngagementFactsDoc } from './clients-facts';
import { visibleEngagement } from './engagement-facts';

const doc: EngagementFactsDoc<'status' | 'startsOn'> & { _rev: number } = { _id: 'e1', _v: 4, _rev: 2, agencyId: 'ag', clientId: 'c1', assistantId: 'a1', status: 'active', startsOn: '2026-03-02' };
const admin: Principal = { sub: 'u', agencyId: 'ag', role: 'agency-admin' };

describe('visibleEngagement', () => {
  it('gives the engagement by engagementId, without the document bookkeeping, to whom may see it', () => {
    const expected = { engagementId: 'e1', agencyId: 'ag', clientId: 'c1', assistantId: 'a1', status: 'active', startsOn: '2026-03-02' };
    expect(visibleEngagement(doc, 'e1', admin)).toEqual(expected);
    expect(visibleEngagement(doc, 'e1', { sub: 'u', agencyId: 'ag', role: 'assistant', assistantId: 'a1' })).toEqual(expected);
    expect(visibleEngagement(doc, 'e1', { sub: 'u', agencyId: 'ag', role: 'client', clientId: 'c1' })).toEqual(expected);
  });

  it.each<[string, typeof doc | null, Principal]>([
    ['unknown', null, admin],
    ["another agency's", doc, { sub: 'u', agencyId: 'other', role: 'agency-admin' }],
    ["another assistant's", doc, { sub: 'u', agencyId: 'ag', role: 'assistant', assistantId: 'a2' }],
    ["another client's", doc, { sub: 'u', agencyId: 'ag', role: 'client', clientId: 'c2' }],
  ])('answers 404 ENGAGEMENT.NOT_FOUND for an %s engagement', (_what, d, p) => {
    expect(() => visibleEngagement(d, 'e1', p)).toThrow(DomainError);
    expect(() => visibleEngagement(d, 'e1', p)).toThrow('engagement e1 not found');
  });
});
