import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Topics } from '@vaops/contracts';
import { bearer, eventEnvelope, replayTwice, setTestClock, startService, testKafka, tokenFor, uniqueName, usd, waitUntil, type RunningService } from '@vaops/testing';
import { MATCHING_WORKED_EXAMPLE } from '@vaops/testing/matching-example';
import { clientsProjections } from '@vaops/clients-service/src/projections';

/**
 * GET /assistants/matches against the running clients service (real Kafka and FerretDB, test clock):
 * assistants in other zones with different capacity, skills and commitments, reliability learnt from
 * the scheduling topic, and the refusals. The figures are those of docs/matching.md's worked example.
 */
describe('GET /assistants/matches', () => {
  let svc: RunningService;
  const agency = uniqueName('agency-match');
  const admin = tokenFor({ sub: 'ops', agencyId: agency, role: 'agency-admin' });
  const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) => days.map((day) => ({ day, start, end }));

  let position = 0;
  const post = async (path: string, body: object, token = admin) => {
    const r = await request(svc.url).post(path).set(bearer(token)).send(body);
    if (r.status !== 201) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    position = Math.max(position, r.body.position);
    return r.body.id as string;
  };
  const newClient = (timezone = 'America/New_York', token = admin) => post('/clients', { name: 'Jones Realty', email: 'c@x.co', timezone, currency: 'USD' }, token);
  const newAssistant = (over: object) =>
    post('/assistants', { name: 'VA', email: 'va@x.co', timezone: 'Europe/London', weeklyCapacityHours: 30, skills: [], payRate: usd(1200), ...over });
  const engage = (clientId: string, assistantId: string, weeklyHours: number, kind = 'part-time') =>
    post('/engagements', { clientId, assistantId, kind, weeklyHours, startsOn: '2026-03-02', noticePeriodDays: 14, phase: 1, plan: { type: 'hourly', rate: usd(4000) } });
  const matches = (query: string, token = admin) => request(svc.url).get(`/assistants/matches?${query}&minPosition=${position}`).set(bearer(token));

  let client: string;
  let ana: string;
  let ben: string;
  let cy: string;
  let dee: string;

  beforeAll(async () => {
    svc = await startService('clients', { VAOPS_TEST_CLOCK: '1' });
    await setTestClock(svc, admin, '2026-03-02T12:00:00Z'); // a Monday

    client = await newClient();
    // London, 12 h spare of 30, every skill, two clients of 8 and 10 h
    ana = await newAssistant({ name: 'Ana', timezone: 'Europe/London', weeklyCapacityHours: 30, skills: ['bookkeeping', 'Social-Media', 'website'] });
    await engage(await newClient(), ana, 8);
    await engage(await newClient(), ana, 10);
    // Manila, a night shift across midnight that meets New York's day, one skill, no clients yet
    ben = await newAssistant({ name: 'Ben', timezone: 'Asia/Manila', weeklyCapacityHours: 40, skills: ['bookkeeping'], workingHours: [...weekdays('21:00', '24:00'), ...weekdays('00:00', '05:00', [2, 3, 4, 5, 6])] });
    // full-time elsewhere: takes nothing else
    cy = await newAssistant({ name: 'Cy', timezone: 'America/New_York', weeklyCapacityHours: 40, skills: ['bookkeeping', 'social-media', 'website'] });
    await engage(await newClient(), cy, 40, 'full-time');
    // 5 h spare: too few for 10
    dee = await newAssistant({ name: 'Dee', timezone: 'America/New_York', weeklyCapacityHours: 20, skills: ['bookkeeping', 'social-media', 'website'] });
    await engage(await newClient(), dee, 15);

    // Ana's record as the scheduling service publishes it: 18 kept, 1 no-show, 1 late cancellation, 2 moves in time
    const prefix = svc.env.VAOPS_TOPIC_PREFIX;
    const producer = testKafka().producer();
    await producer.connect();
    const parties = () => ({ appointmentId: randomUUID(), engagementId: randomUUID(), assistantId: ana, clientId: randomUUID() });
    // reasons are published encrypted under the engagement's key (v2 of the moves and cancellations); the record never reads them
    const reason = (p: { engagementId: string }) => ({ pii: 'v1', person: p.engagementId, iv: 'bm9uY2Utb2YtMTI=', ct: 'Y2lwaGVydGV4dA==' });
    const withReason = (p: ReturnType<typeof parties>) => ({ ...p, reason: reason(p) });
    const moved = { previousStartsAt: '2026-02-10T10:00:00.000Z', previousEndsAt: '2026-02-10T10:30:00.000Z', startsAt: '2026-02-11T10:00:00.000Z', endsAt: '2026-02-11T10:30:00.000Z' };
    const records: { type: string; schemaVersion: number; data: object }[] = [
      ...Array.from({ length: 18 }, () => ({ type: 'AppointmentKept', schemaVersion: 1, data: { ...parties(), by: 'assistant' } })),
      { type: 'AppointmentNoShow', schemaVersion: 1, data: { ...parties(), endsAt: '2026-02-12T10:30:00.000Z' } },
      { type: 'AppointmentCancelled', schemaVersion: 2, data: { ...withReason(parties()), by: 'assistant', late: true } },
      { type: 'AppointmentCancelled', schemaVersion: 2, data: { ...withReason(parties()), by: 'client', late: true } }, // the client's: not Ana's record
      { type: 'AppointmentRescheduled', schemaVersion: 2, data: { ...withReason(parties()), ...moved, by: 'assistant', late: false } },
      { type: 'AppointmentRescheduled', schemaVersion: 2, data: { ...withReason(parties()), ...moved, by: 'agency', late: false } },
    ];
    const envelopes = records.map((r, i) =>
      eventEnvelope(r.type, r.data, { streamId: `calendar-${ana}`, version: i + 1, schemaVersion: r.schemaVersion, eventId: randomUUID(), agencyId: agency, actor: { sub: 'scheduling', role: 'system' }, occurredAt: '2026-02-20T00:00:00.000Z' }),
    );
    // every event twice, as a redelivery would bring them: counted once
    const messages = [...envelopes, ...envelopes].map((e) => ({ key: e.streamId, value: JSON.stringify(e) }));
    await producer.send({ topic: `${prefix}${Topics.scheduling}`, messages });
    await producer.disconnect();
    await waitUntil(async () => (await matches(`clientId=${client}&weeklyHours=10`)).body.items?.find((m: { assistantId: string }) => m.assistantId === ana)?.reliability.kept === 18, {
      timeoutMs: 30_000,
      what: "Ana's reliability record",
    });
  }, 120_000);
  afterAll(async () => {
    await svc?.stop();
  });

  it('ranks the assistants who can take the client, best first, with the figures behind each rank', async () => {
    const res = await matches(`clientId=${client}&weeklyHours=10&skills=bookkeeping,social-media,website`).expect(200);
    // Cy holds a full-time engagement, Dee has 5 h spare: neither is a match
    expect(res.body.items.map((m: { assistantId: string }) => m.assistantId)).toEqual([ana, ben]);
    const [first, second] = res.body.items;
    expect(first).toEqual({
      assistantId: ana,
      name: 'Ana',
      timezone: 'Europe/London',
      ...MATCHING_WORKED_EXAMPLE.ana,
      reliability: { kept: 18, rescheduledInTime: 2, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 1, noShow: 1 },
    });
    expect(second).toMatchObject({
      assistantId: ben,
      ...MATCHING_WORKED_EXAMPLE.ben,
      reliability: { kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0 },
    });
    expect(second.reasons).toEqual(expect.arrayContaining(MATCHING_WORKED_EXAMPLE.benReasonsInclude));
  });

  it('offers a full-time engagement only to assistants without commitments and with the hours', async () => {
    const res = await matches(`clientId=${client}&weeklyHours=40&kind=full-time`).expect(200);
    expect(res.body.items.map((m: { assistantId: string }) => m.assistantId)).toEqual([ben]);
    // and a small part-time one to everyone with the hours but Cy
    const small = await matches(`clientId=${client}&weeklyHours=5`).expect(200);
    expect(small.body.items.map((m: { assistantId: string }) => m.assistantId).sort()).toEqual([ana, ben, dee].sort());
    expect((await matches(`clientId=${client}&weeklyHours=5&limit=1`).expect(200)).body.items).toHaveLength(1);
  });

  it('leaves GET /assistants/:id as it was', async () => {
    const res = await request(svc.url).get(`/assistants/${ben}`).set(bearer(admin)).expect(200);
    expect(res.body).toMatchObject({ id: ben, name: 'Ben', committedWeeklyHours: 0 });
  });

  it('answers 400 naming each bad query field', async () => {
    const fields = async (query: string) => {
      const res = await matches(query).expect(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      return res.body.errors.map((e: { field: string }) => e.field).sort();
    };
    expect(await fields('weeklyHours=10')).toEqual(['clientId']);
    expect(await fields(`clientId=${client}`)).toEqual(['weeklyHours']);
    expect(await fields(`clientId=not-an-id&weeklyHours=0&kind=sometimes`)).toEqual(['clientId', 'kind', 'weeklyHours']);
    expect(await fields(`clientId=${client}&weeklyHours=1e3`)).toEqual(['weeklyHours']);
    expect(await fields(`clientId=${client}&weeklyHours=10&skills=${Array.from({ length: 51 }, (_, i) => `s${i}`).join(',')}`)).toEqual(['skills']);
    expect(await fields(`clientId=${client}&weeklyHours=10&limit=501`)).toEqual(['limit']);
    expect(await fields(`clientId=${client}&weeklyHours=10&agencyId=other`)).toEqual(['agencyId']);
  });

  it('answers 403 to a client and an assistant', async () => {
    const asClient = tokenFor({ sub: 'c', agencyId: agency, role: 'client', clientId: client });
    const asAssistant = tokenFor({ sub: 'a', agencyId: agency, role: 'assistant', assistantId: ana });
    expect((await matches(`clientId=${client}&weeklyHours=10`, asClient).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
    expect((await matches(`clientId=${client}&weeklyHours=10`, asAssistant).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
  });

  it("answers 404 for an unknown client and for another agency's", async () => {
    expect((await matches(`clientId=${randomUUID()}&weeklyHours=10`).expect(404)).body.code).toBe('CLIENT.NOT_FOUND');
    const otherAdmin = tokenFor({ sub: 'ops-b', agencyId: `${agency}-b`, role: 'agency-admin' });
    const theirs = await newClient('Europe/Paris', otherAdmin);
    expect((await matches(`clientId=${theirs}&weeklyHours=10`).expect(404)).body.code).toBe('CLIENT.NOT_FOUND');
    // and another agency sees none of this agency's assistants for its own client
    expect((await matches(`clientId=${theirs}&weeklyHours=1`, otherAdmin).expect(200)).body.items).toEqual([]);
  });

  it('has idempotent projections, the reliability records included: every event applied twice changes nothing the second time', async () => {
    const { first, second, undecodable } = await replayTwice(clientsProjections(svc.env.VAOPS_TOPIC_PREFIX));
    expect(undecodable).toBe(0);
    expect(Object.keys(first)).toEqual(expect.arrayContaining([expect.stringContaining('assistant_reliability')]));
    expect(second).toEqual(first);
  });
});
