import { DEFAULT_AGENCY_SETTINGS, type PublicEvent, type PublicEventType } from '@vaops/contracts';
import { projectionsOf } from '@vaops/platform';
import { applyBatch, liveStore, type ProjectionDefinition } from '@vaops/projections';
import { testDatabase, type TestDatabase } from '@vaops/testing';
import { clientsFacts, SINCE_START } from './clients-facts';

const at = '2026-03-02T09:00:00.000Z';
const event = <T extends PublicEventType>(type: T, streamId: string, version: number, data: PublicEvent<T>['data']): PublicEvent<T> =>
  ({ eventId: `${streamId}-${version}`, type, schemaVersion: 1, streamId, version, position: version, metadata: { agencyId: 'ag', actor: { sub: 's', role: 'agency-admin' }, correlationId: 'c', causationId: 'c', occurredAt: at }, data }) as PublicEvent<T>;

const plan = { type: 'hourly' as const, rate: { amountMinor: 4000, currency: 'EUR' } };
const started = event('EngagementStarted', 'engagement-e', 1, { engagementId: 'e', clientId: 'c', assistantId: 'a', kind: 'part-time', weeklyHours: 10, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan });
const promoted = event('EngagementPhaseChanged', 'engagement-e', 2, { engagementId: 'e', from: 1, to: 2, skipped: [], reason: { pii: 'erased', person: 'e' }, decidedBy: { sub: 's', role: 'agency-admin' }, effectiveAt: '2026-03-09T00:00:00.000Z' });
const replanned = event('EngagementPlanChanged', 'engagement-e', 3, { engagementId: 'e', plan: { ...plan, rate: { amountMinor: 4500, currency: 'EUR' } }, effectiveOn: '2026-04-01' });
const notice = event('EngagementNoticeGiven', 'engagement-e', 5, { engagementId: 'e', by: 'client', reason: { pii: 'erased', person: 'e' }, givenAt: at, endsOn: '2026-04-15' });
const sealed = (text: string) => ({ pii: 'v1' as const, person: 'c', iv: 'aXYtb2YtdGVzdA==', ct: Buffer.from(text).toString('base64') });
const client = event('ClientRegistered', 'client-c', 1, { clientId: 'c', name: sealed('Cleo'), email: sealed('c@example.com'), timezone: 'Europe/Berlin', currency: 'EUR' });
const erased = event('PersonErased', 'client-c', 2, { personId: 'c', kind: 'client', erasedAt: at });
const settings = event('AgencySettingsChanged', 'agency-ag', 4, { ...DEFAULT_AGENCY_SETTINGS, timezone: 'Europe/Paris', roundingMinutes: 15, roundingMode: 'up' });

describe('the clients facts kit (real Mongo-compatible server)', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await testDatabase('facts-kit');
  });
  afterEach(async () => t.drop());

  const run = async (facts: { module: Parameters<typeof projectionsOf>[0] }, events: PublicEvent[]): Promise<ProjectionDefinition> => {
    const [def] = await projectionsOf(facts.module);
    await applyBatch(def, events, liveStore(t.db));
    await applyBatch(def, events, liveStore(t.db)); // redelivered: nothing changes
    return def;
  };

  it('handles only the event types that change a picked field, and writes only the picked fields', async () => {
    const facts = clientsFacts({ name: 'probe.facts', engagements: { collection: 'f_engagements', fields: ['status', 'endsOn'] } });
    const def = await run(facts, [started, promoted, replanned, notice]);
    expect(Object.keys(def.handlers).sort()).toEqual(['EngagementEnded', 'EngagementNoticeGiven', 'EngagementStarted']);
    // the redelivered batch changed nothing, so wrote nothing: one revision
    expect(await facts.engagements.byId(t.db, 'e')).toEqual({ _id: 'e', _v: 5, _rev: 1, agencyId: 'ag', clientId: 'c', assistantId: 'a', status: 'in-notice', endsOn: '2026-04-15' });
  });

  it('keeps lists by pushing each change once', async () => {
    const facts = clientsFacts({ name: 'probe.facts', engagements: { collection: 'f_engagements', fields: ['plan', 'plans', 'phaseHistory', 'phases'] } });
    await run(facts, [started, promoted, replanned]);
    expect(await facts.engagements.byId(t.db, 'e')).toMatchObject({
      _v: 3,
      plan: replanned.data.plan,
      plans: [{ effectiveOn: '2026-03-02', plan }, { effectiveOn: '2026-04-01', plan: replanned.data.plan }],
      phaseHistory: [{ phase: 1, from: SINCE_START }, { phase: 2, from: '2026-03-09T00:00:00.000Z' }],
      phases: [{ phase: 1, from: at, skipped: [] }, { phase: 2, from: '2026-03-09T00:00:00.000Z', skipped: [] }],
    });
  });

  it('keys people by id or by stream, with derived values of the service’s own', async () => {
    const byStream = clientsFacts({ name: 'probe.people', clients: { collection: 'f_people', key: 'stream', fields: ['timezone', 'workingHours'], derive: (e) => ({ initial: e.data.timezone[0] }) } });
    await run(byStream, [client]);
    expect(await byStream.clients.byId(t.db, 'client-c')).toEqual({ _id: 'client-c', _v: 1, _rev: 1, agencyId: 'ag', timezone: 'Europe/Berlin', workingHours: [], initial: 'E' });
  });

  it('keeps personal fields as they came (encrypted) and replaces them by the erased form on PersonErased', async () => {
    const facts = clientsFacts({ name: 'probe.erasure', clients: { collection: 'f_clients', fields: ['name', 'currency'] }, assistants: { collection: 'f_assistants', fields: ['timezone'] } });
    const def = await run(facts, [client]);
    expect(await facts.clients.byId(t.db, 'c')).toMatchObject({ name: sealed('Cleo'), currency: 'EUR' });
    // assistants keep no personal field here: only clients' erasures are handled
    expect(Object.keys(def.handlers).sort()).toEqual(['AssistantRegistered', 'ClientRegistered', 'PersonErased']);
    await run(facts, [erased]);
    expect(await facts.clients.byId(t.db, 'c')).toMatchObject({ _v: 2, name: { pii: 'erased', person: 'c' }, currency: 'EUR' });
    expect(JSON.stringify(await facts.clients.byId(t.db, 'c'))).not.toContain(sealed('Cleo').ct);
    // a facts kit without personal fields has no erasure handler
    const [plain] = await projectionsOf(clientsFacts({ name: 'probe.plain', clients: { collection: 'f_plain', fields: ['currency'] } }).module);
    expect(Object.keys(plain.handlers)).toEqual(['ClientRegistered']);
    // unless the service keeps an engagement's free text: it hears erasures (the transport drops the ended keys), writing nothing
    const hearing = clientsFacts({ name: 'probe.hearing', clients: { collection: 'f_hearing', fields: ['currency'] }, hearErasures: true });
    const def2 = await run(hearing, [client, erased]);
    expect(Object.keys(def2.handlers).sort()).toEqual(['ClientRegistered', 'PersonErased']);
    expect(await hearing.clients.byId(t.db, 'c')).toMatchObject({ _v: 1, currency: 'EUR' });
  });

  it('answers an agency’s settings as last heard, else the documented defaults: one lookup', async () => {
    const facts = clientsFacts({ name: 'probe.agencies', agencies: { collection: 'f_agencies', fields: ['timezone', 'rounding'] } });
    expect(await facts.agencies.settings(t.db, 'ag')).toEqual({ timezone: DEFAULT_AGENCY_SETTINGS.timezone, rounding: { minutes: DEFAULT_AGENCY_SETTINGS.roundingMinutes, mode: DEFAULT_AGENCY_SETTINGS.roundingMode } });
    await run(facts, [settings]);
    expect(await facts.agencies.settings(t.db, 'ag')).toEqual({ timezone: 'Europe/Paris', rounding: { minutes: 15, mode: 'up' } });
  });
});
