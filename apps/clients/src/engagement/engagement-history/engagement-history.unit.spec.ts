import type { StoredEvent } from '@vaops/event-sourcing';
import { foldAsOf, type Principal } from '@vaops/platform';
import type { EngagementEvent } from '../engagement';
import { engagementDecider } from '../engagement.decider';
import { HOURLY_PLAN, engagementStart } from '../test-support/engagement-start';
import { engagementDocAt, engagementHistory, visibleTo } from './engagement-history';

const plan = HOURLY_PLAN;
const admin = { sub: 'ops', role: 'agency-admin' as const };
const client = { sub: 'c-user', role: 'client' as const };
let version = 0;
const stored = (occurredAt: string, actor: { sub: string; role: 'agency-admin' | 'client' | 'assistant' }, event: EngagementEvent): StoredEvent<EngagementEvent> => ({
  eventId: `ev-${++version}`,
  streamId: 'engagement-e-1',
  version,
  position: 100 + version,
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  metadata: { agencyId: 'ag-1', actor, correlationId: `corr-${version}`, causationId: `corr-${version}`, occurredAt },
});

version = 0;
const events = [
  stored('2026-03-02T09:00:00.000Z', admin, {
    type: 'EngagementStarted',
    data: engagementStart(),
  }),
  stored('2026-03-10T09:00:00.000Z', admin, {
    type: 'EngagementPhaseChanged',
    data: { engagementId: 'e-1', from: 1, to: 2, skipped: [], reason: 'screens calls well', decidedBy: admin, effectiveAt: '2026-03-10T09:00:00.000Z' },
  }),
  stored('2026-03-11T09:00:00.000Z', admin, { type: 'EngagementPlanChanged', data: { engagementId: 'e-1', plan: { ...plan, rate: { amountMinor: 4500, currency: 'USD' } }, effectiveOn: '2026-04-01' } }),
  stored('2026-03-12T09:00:00.000Z', client, { type: 'CommunicationLogged', data: { engagementId: 'e-1', channel: 'call', occurredAt: '2026-03-12T08:30:00.000Z', summary: 'weekly call' } }),
  stored('2026-03-20T09:00:00.000Z', client, { type: 'EngagementNoticeGiven', data: { engagementId: 'e-1', by: 'client', reason: 'moving on', givenAt: '2026-03-20T09:00:00.000Z', endsOn: '2026-04-03' } }),
];
const at = (iso: string) => new Date(iso);
const docAt = (iso: string) => {
  const past = foldAsOf(engagementDecider, events, at(iso));
  return past && engagementDocAt(past, 'ag-1');
};

describe('an engagement as of an instant', () => {
  it('did not exist before its start', () => {
    expect(docAt('2026-03-02T08:59:59.999Z')).toBeNull();
  });

  it('is folded from the events up to the instant, in the read model\'s shape', () => {
    // every field the engagement started with, under its id
    const { engagementId, ...startedWith } = engagementStart();
    expect(docAt('2026-03-02T09:00:00.000Z')).toEqual({
      _id: engagementId,
      _v: 1,
      agencyId: 'ag-1',
      ...startedWith,
      status: 'active',
      phaseHistory: [{ phase: 1, from: '2026-03-02T09:00:00.000Z' }],
      plans: [{ plan, effectiveOn: '2026-03-02' }],
      notice: null,
      endsOn: null,
      endedBy: null,
      endedOn: null,
      lastActivityAt: '2026-03-02',
      lastReviewAt: null,
      reviewEveryDays: null,
      silentSince: null,
      history: [{ type: 'EngagementStarted', at: '2026-03-02T09:00:00.000Z', actor: admin, data: events[0].data }],
    });
  });

  it('between changes: the phase then, the call as the last review, not yet in notice', () => {
    const d = docAt('2026-03-15T00:00:00.000Z')!;
    expect(d).toMatchObject({ _v: 4, phase: 2, status: 'active', lastActivityAt: '2026-03-12T08:30:00.000Z', lastReviewAt: '2026-03-12T08:30:00.000Z', notice: null, endsOn: null });
    expect(d.phaseHistory).toEqual([
      { phase: 1, from: '2026-03-02T09:00:00.000Z' },
      { phase: 2, from: '2026-03-10T09:00:00.000Z' },
    ]);
    expect(d.plans).toHaveLength(2);
    expect(d.history.map((h) => h.type)).toEqual(['EngagementStarted', 'EngagementPhaseChanged', 'EngagementPlanChanged', 'CommunicationLogged']);
  });

  it('after the notice: in notice, ending on its date', () => {
    expect(docAt('2026-03-21T00:00:00.000Z')).toMatchObject({ _v: 5, status: 'in-notice', notice: { by: 'client', reason: 'moving on', endsOn: '2026-04-03' }, endsOn: '2026-04-03' });
  });
});

describe("an engagement's history", () => {
  const p = (role: 'agency-admin' | 'client' | 'assistant'): Principal =>
    role === 'client' ? { sub: 'c', agencyId: 'ag-1', role, clientId: 'c-1' } : role === 'assistant' ? { sub: 'a', agencyId: 'ag-1', role, assistantId: 'a-1' } : { sub: 'o', agencyId: 'ag-1', role };

  it('lists every change with who, when, why and the correlation id', () => {
    const items = engagementHistory(events, p('agency-admin'));
    expect(items.map((i) => [i.type, i.actor.sub, i.at, i.reason, i.correlationId])).toEqual([
      ['EngagementStarted', 'ops', '2026-03-02T09:00:00.000Z', undefined, 'corr-1'],
      ['EngagementPhaseChanged', 'ops', '2026-03-10T09:00:00.000Z', 'screens calls well', 'corr-2'],
      ['EngagementPlanChanged', 'ops', '2026-03-11T09:00:00.000Z', undefined, 'corr-3'],
      ['CommunicationLogged', 'c-user', '2026-03-12T09:00:00.000Z', undefined, 'corr-4'],
      ['EngagementNoticeGiven', 'c-user', '2026-03-20T09:00:00.000Z', 'moving on', 'corr-5'],
    ]);
    expect(items[1].changes).toEqual({ from: 1, to: 2, skipped: [], decidedBy: admin, effectiveAt: '2026-03-10T09:00:00.000Z' });
    expect(items[0]).not.toHaveProperty('reason');
  });

  it('never shows an assistant the plan', () => {
    const items = engagementHistory(events, p('assistant'));
    expect(items.map((i) => i.type)).not.toContain('EngagementPlanChanged');
    expect(items[0].changes).not.toHaveProperty('plan');
    expect(JSON.stringify(items)).not.toContain('4000');
  });

  it('is visible to the agency, its client and its assistant only', () => {
    const state = foldAsOf(engagementDecider, events, at('2030-01-01T00:00:00Z'))!.state;
    expect([p('agency-admin'), p('client'), p('assistant')].map((x) => visibleTo(state, x))).toEqual([true, true, true]);
    expect(visibleTo(state, { sub: 'c2', agencyId: 'ag-1', role: 'client', clientId: 'c-2' })).toBe(false);
    expect(visibleTo(state, { sub: 'a2', agencyId: 'ag-1', role: 'assistant', assistantId: 'a-2' })).toBe(false);
  });
});
