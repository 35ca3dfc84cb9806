import type { EngagementDoc } from '../facts/clients-facts.projection';
import { tenureOf } from './tenure';

const engagement = (over: Partial<EngagementDoc> = {}): EngagementDoc => ({
  _id: 'e',
  _v: 1,
  agencyId: 'ag',
  clientId: 'c',
  assistantId: 'a',
  kind: 'part-time',
  startsOn: '2026-03-02',
  status: 'active',
  phases: [{ phase: 1, from: '2026-03-02T12:00:00.000Z', skipped: [] }],
  notice: null,
  endedOn: null,
  endedBy: null,
  ...over,
});

describe('tenure', () => {
  it('runs to today while the engagement lasts', () => {
    expect(tenureOf(engagement(), '2026-03-20')).toMatchObject({ engagementId: 'e', startsOn: '2026-03-02', endedOn: null, tenureDays: 18 });
  });

  it('stops at the end date', () => {
    expect(tenureOf(engagement({ status: 'ended', endedOn: '2026-03-16', endedBy: 'breach' }), '2026-12-31').tenureDays).toBe(14);
  });

  it('is 0 before the start', () => {
    expect(tenureOf(engagement({ startsOn: '2026-04-01' }), '2026-03-20').tenureDays).toBe(0);
  });
});
