import request from 'supertest';
import { Topics, deadLetterTopic } from '@vaops/contracts';
import { newId } from '@vaops/event-sourcing';
import { eventEnvelope, readTopic, runRebuild, startService, testKafka, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

/**
 * The version path on the real broker: the clients service publishes AssistantRegistered v2 (capacity in
 * whole minutes) and its roster projection is written against v2 only. v1 events already in the log
 * (capacity in fractional hours) reach it through the upcaster, live and in a rebuild from offset zero.
 */
describe('AssistantRegistered v1 replayed through a v2 consumer', () => {
  let svc: RunningService;
  const agency = uniqueName('agency-up');
  const admin = tokenFor({ sub: 'ops', agencyId: agency, role: 'agency-admin' });
  const auth = { Authorization: `Bearer ${admin}` };
  const kafka = testKafka();
  const topic = () => `${svc.env.VAOPS_TOPIC_PREFIX}${Topics.clients}`;
  const legacyIds = [newId(), newId()];

  beforeAll(async () => {
    svc = await startService('clients');
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('publishes v2 and reads v1 events from the log as v2', async () => {
    // two events as an older clients service published them (schemaVersion 1, weeklyCapacityHours)
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topic(),
      messages: legacyIds.map((assistantId, i) => ({
        key: `assistant-${assistantId}`,
        value: JSON.stringify(
          eventEnvelope(
            'AssistantRegistered',
            { assistantId, name: `Legacy ${i}`, email: `l${i}@va.example`, timezone: 'Asia/Manila', weeklyCapacityHours: [37.5, 20][i], skills: [], payRate: { amountMinor: 1000, currency: 'USD' }, workingHours: [] },
            { streamId: `assistant-${assistantId}`, version: 1, position: 1_000_000 + i, eventId: newId(), agencyId: agency, actor: { sub: 'ops', role: 'agency-admin' }, correlationId: 'legacy', occurredAt: '2025-06-01T09:00:00.000Z' },
          ),
        ),
      })),
    });
    await producer.disconnect();

    const created = await request(svc.url)
      .post('/assistants')
      .set(auth)
      .send({ name: 'Current', email: 'c@va.example', timezone: 'Europe/London', weeklyCapacityHours: 37.5, skills: [], payRate: { amountMinor: 1000, currency: 'USD' } })
      .expect(201);

    const capacityOf = async (id: string) =>
      waitUntil(async () => {
        const r = await request(svc.url).get(`/assistants/${id}`).set(auth);
        return r.status === 200 ? (r.body.weeklyCapacityHours as number) : undefined;
      }, { timeoutMs: 30_000, what: `assistant ${id} in the roster` });
    expect(await capacityOf(created.body.id)).toBe(37.5);
    expect(await capacityOf(legacyIds[0])).toBe(37.5);
    expect(await capacityOf(legacyIds[1])).toBe(20);

    const published = (await readTopic(kafka, topic())).map((m) => JSON.parse(m.value!));
    const current = published.find((e) => e.type === 'AssistantRegistered' && e.data.assistantId === created.body.id);
    expect(current).toMatchObject({ schemaVersion: 3, data: { weeklyCapacityMinutes: 2250, name: { pii: 'v1' } } });
    expect(current.data).not.toHaveProperty('weeklyCapacityHours');
    expect(await readTopic(kafka, deadLetterTopic(topic()), 2_000)).toEqual([]);
  });

  it('rebuilds the roster from offset zero through the same upcaster, equal to the live one', async () => {
    const out = await runRebuild('clients', svc.env, 'clients.assistant-roster');
    expect({ code: out.code, stderr: out.code === 0 ? '' : out.stderr }).toEqual({ code: 0, stderr: '' });
    const [result] = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(result).toMatchObject({ projection: 'clients.assistant-roster', equal: true, swapped: true });
    const legacy = await request(svc.url).get(`/assistants/${legacyIds[0]}`).set(auth).expect(200);
    expect(legacy.body.weeklyCapacityHours).toBe(37.5);
  });
});
