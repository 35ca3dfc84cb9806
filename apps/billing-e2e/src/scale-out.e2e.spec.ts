import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AssignerProtocol, Partitioners, type Admin, type Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { deadLetterTopic, Topics, validateEvent, type EventEnvelope } from '@vaops/contracts';
import { connectMongo } from '@vaops/mongo';
import { startService, testKafka, testServerUrls, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';
import { billingProjections } from '@vaops/billing-service/src/projections';

/**
 * Two instances of the billing service on ONE database and ONE topic prefix (so one consumer group per
 * projection, shared by both), fed on the real broker with upstream events produced straight to the
 * prefixed clients and time-tracking topics (keyed by stream id, many streams, so every partition gets
 * traffic), and with the billing service's own events written over HTTP. Proves that:
 *  (a) the instances split the partitions of every consumed topic: each owns a non-empty, disjoint set,
 *      together all of them, and each applies exactly the events of the partitions it owns;
 *  (b) stopping one (SIGTERM) hands its partitions to the other, which then owns all of them;
 *  (c) events produced before, during and after the hand-over take effect exactly once, checked on
 *      values a double application would inflate (an engagement's list of plans is a `$push` per plan
 *      change, an invoice's credited amount an `$inc` per credit note), on sums of approved minutes, and
 *      on the checkpoints and read-your-writes after the hand-over; nothing lands on a dead-letter topic.
 */
jest.setTimeout(180_000);

class AppliedTwice extends Error {}

const PERIOD = '2026-03';
const LATER = '2026-04';
const N = 18; // clients, assistants and engagements: many keys, so every partition gets some

interface Pair {
  clientId: string;
  assistantId: string;
  engagementId: string;
  /** Rates of the plans, in the order the engagement's stream changed them (the first is EngagementStarted's). */
  rates: number[];
  /** Version of the last event produced on the timelog stream. */
  timelogVersion: number;
  /** Approved billed minutes per month. */
  minutes: Record<string, number>;
  entries: number;
}

describe('billing scaled out to two instances on the real broker', () => {
  let a: RunningService;
  let b: RunningService;
  let admin: Admin;
  let producer: Producer;
  let mongo: Connection;
  let prefix: string;
  let position = 0;
  const agency = uniqueName('agency-scale');
  const token = tokenFor({ sub: 'ops', agencyId: agency, role: 'agency-admin' });
  const auth = { Authorization: `Bearer ${token}` };
  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
  const pairs: Pair[] = [];
  const projections = () => billingProjections(prefix);
  const groupOf = (projection: string) => `${prefix}billing.${projection}`;
  const credits = new Map<string, number[]>(); // invoice id -> amounts credited
  let invoiceIds: string[] = [];
  let lastWritePosition = 0;

  const envelope = (type: string, streamId: string, version: number, data: object, occurredAt = '2026-03-20T12:00:00.000Z') => {
    const id = randomUUID();
    return {
      eventId: id,
      type,
      schemaVersion: 1,
      streamId,
      version,
      position: ++position,
      metadata: { agencyId: agency, actor: { sub: 'scale-test', role: 'agency-admin' }, correlationId: id, causationId: id, occurredAt },
      data,
    };
  };
  const produce = async (topic: string, events: ReturnType<typeof envelope>[]) => {
    if (events.length === 0) return;
    for (const e of events) validateEvent(e as EventEnvelope); // valid v1 upstream events, as their services publish them
    await producer.send({ topic: `${prefix}${topic}`, acks: -1, messages: events.map((e) => ({ key: e.streamId, value: JSON.stringify(e) })) });
  };

  const planChange = (p: Pair) => {
    const rate = 6000 + p.rates.length;
    p.rates.push(rate);
    return envelope('EngagementPlanChanged', `engagement-${p.engagementId}`, p.rates.length, { engagementId: p.engagementId, plan: { type: 'hourly', rate: usd(rate) }, effectiveOn: '2027-01-01' });
  };
  const approval = (p: Pair, month: string, minutes: number[]) => {
    // a real timelog has logged and submitted events between approvals: billing skips those versions
    p.timelogVersion += 3;
    const day = month === PERIOD ? '2026-03-10' : '2026-04-07';
    const entries = minutes.map((m, i) => ({
      entryId: randomUUID(),
      category: 'data-entry',
      startedAt: `${day}T${String(8 + i).padStart(2, '0')}:00:00.000Z`,
      endedAt: `${day}T${String(8 + i).padStart(2, '0')}:${String(Math.min(m, 59)).padStart(2, '0')}:00.000Z`,
      actualMinutes: m,
      billedMinutes: m,
      billable: true,
      month,
      adjusts: null,
    }));
    p.minutes[month] = (p.minutes[month] ?? 0) + minutes.reduce((s, m) => s + m, 0);
    p.entries += entries.length;
    return envelope('TimesheetApproved', `timelog-${p.assistantId}`, p.timelogVersion, {
      engagementId: p.engagementId,
      assistantId: p.assistantId,
      clientId: p.clientId,
      isoWeek: month === PERIOD ? '2026-W11' : '2026-W15',
      entries,
      billedMinutes: minutes.reduce((s, m) => s + m, 0),
      approvedBy: 'client',
    });
  };
  /** One round of upstream traffic: a plan change on every engagement, an approval on every timelog. */
  const round = async (month: string, k: number) => {
    await Promise.all([
      produce(Topics.clients, pairs.map(planChange)),
      produce(Topics.timeTracking, pairs.map((p, i) => approval(p, month, [5 + ((i * 7 + k * 11) % 50)]))),
    ]);
  };
  const creditNote = async (svc: RunningService, invoiceId: string, amountMinor: number) => {
    const r = await request(svc.url).post(`/invoices/${invoiceId}/credit-notes`).set(auth).send({ amount: usd(amountMinor), reason: 'scale-out' });
    if (r.status !== 201) throw new Error(`credit note answered ${r.status}: ${JSON.stringify(r.body)}`);
    credits.get(invoiceId)!.push(amountMinor);
    lastWritePosition = Math.max(lastWritePosition, r.body.position);
  };

  const partitionsOf = async (topic: string) => (await admin.fetchTopicOffsets(topic)).map((p) => p.partition).sort((x, y) => x - y);
  /** Who owns what in a projection's consumer group: one entry per member, its partitions per topic. */
  const assignment = async (projection: string) => {
    const { groups } = await admin.describeGroups([groupOf(projection)]);
    const g = groups[0];
    return {
      state: g.state,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        partitions: (AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}) as Record<string, number[]>,
      })),
    };
  };
  const owned = (m: { partitions: Record<string, number[]> }, topic: string) => [...(m.partitions[topic] ?? [])].sort((x, y) => x - y);
  /** Partitions an instance has applied events of, per projection and topic, from its own /metrics. */
  const appliedBy = async (svc: RunningService) => {
    const text = (await request(svc.url).get('/metrics').expect(200)).text;
    const out: Record<string, number[]> = {};
    for (const m of text.matchAll(/^vaops_projection_position\{([^}]*)\} /gm)) {
      const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      (out[`${labels.projection}|${labels.topic}`] ??= []).push(Number(labels.partition));
    }
    for (const v of Object.values(out)) v.sort((x, y) => x - y);
    return out;
  };
  /** Waits until the read models hold exactly what was produced; fails at once on a double application. */
  const untilAllApplied = async (what: string, timeoutMs = 60_000) => {
    let twice: string | undefined;
    await waitUntil(
      async () => {
        try {
          return await allApplied();
        } catch (err) {
          if (!(err instanceof AppliedTwice)) throw err;
          twice = err.message;
          return true;
        }
      },
      { timeoutMs, intervalMs: 250, what },
    );
    expect(twice).toBeUndefined();
  };
  const logEnds = async (topic: string) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));

  beforeAll(async () => {
    // A first (it provisions the topics), then B on the same database and prefix.
    a = await startService('billing');
    prefix = a.env.VAOPS_TOPIC_PREFIX;
    b = await startService('billing', { MONGO_URL: a.env.MONGO_URL, VAOPS_TOPIC_PREFIX: prefix });
    const kafka = testKafka('vaops-scale-out-test');
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    mongo = await connectMongo(testServerUrls().mongoUrl, new URL(a.env.MONGO_URL).pathname.slice(1));
  }, 150_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await mongo?.db?.dropDatabase().catch(() => undefined);
    await mongo?.close().catch(() => undefined);
  });

  it('splits the partitions of every consumed topic between the two instances, each applying only its own', async () => {
    const defs = await projections();
    // (a) both instances joined every group and the assignor gave each a disjoint, non-empty share
    const shares = await waitUntil(
      async () => {
        const all = await Promise.all(defs.map(async (d) => ({ d, g: await assignment(d.name) })));
        const ok = all.every(({ d, g }) => g.state === 'Stable' && g.members.length === 2 && d.topics.every((t) => g.members.every((m) => owned(m, t).length > 0)));
        return ok ? all : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'two members with partitions in every consumer group' },
    );
    for (const { d, g } of shares) {
      for (const topic of d.topics) {
        const [x, y] = g.members.map((m) => owned(m, topic));
        expect(x.filter((p) => y.includes(p))).toEqual([]);
        expect([...x, ...y].sort((p, q) => p - q)).toEqual(await partitionsOf(topic));
      }
    }

    // traffic on every partition: the facts of N clients, assistants and engagements, and approved time
    for (let i = 0; i < N; i++) pairs.push({ clientId: randomUUID(), assistantId: randomUUID(), engagementId: randomUUID(), rates: [], timelogVersion: 0, minutes: {}, entries: 0 });
    await produce(Topics.clients, [
      ...pairs.map((p) => envelope('ClientRegistered', `client-${p.clientId}`, 1, { clientId: p.clientId, name: `Client ${p.clientId.slice(0, 4)}`, email: 'c@x.co', timezone: 'America/New_York', currency: 'USD' })),
      ...pairs.map((p) =>
        envelope('AssistantRegistered', `assistant-${p.assistantId}`, 1, { assistantId: p.assistantId, name: 'VA', email: 'va@x.co', timezone: 'Europe/London', weeklyCapacityHours: 40, skills: [], payRate: usd(1200), workingHours: [] }),
      ),
      ...pairs.map((p) => {
        p.rates.push(6000);
        return envelope('EngagementStarted', `engagement-${p.engagementId}`, 1, {
          engagementId: p.engagementId,
          clientId: p.clientId,
          assistantId: p.assistantId,
          kind: 'part-time',
          weeklyHours: 10,
          startsOn: '2026-03-01',
          noticePeriodDays: 14,
          phase: null,
          plan: { type: 'hourly', rate: usd(6000) },
        });
      }),
    ]);
    await produce(Topics.timeTracking, pairs.map((p, i) => approval(p, PERIOD, [60, 30 + i])));
    await round(LATER, 0);
    for (const t of [Topics.clients, Topics.timeTracking]) {
      expect([...(await logEnds(`${prefix}${t}`)).values()].every((high) => high > 0n)).toBe(true);
    }
    await untilAllApplied('both instances to apply the first events');

    // billing's own events, written through B (the run) and A (issuing), read back by the invoices projection
    const run = (await request(b.url).post('/billing-runs').set(auth).send({ period: PERIOD }).expect(201)).body;
    expect(run.failed).toEqual([]);
    invoiceIds = run.invoices.map((i: { id: string }) => i.id);
    expect(invoiceIds).toHaveLength(N);
    for (const id of invoiceIds) {
      credits.set(id, []);
      const r = await request(a.url).post(`/invoices/${id}/issue`).set(auth).expect(200);
      lastWritePosition = Math.max(lastWritePosition, r.body.position);
    }
    await creditNote(b, invoiceIds[0], 25);
    await untilAllApplied('the invoices projection to apply the issued invoices');
    expect([...(await logEnds(`${prefix}${Topics.billing}`)).values()].every((high) => high > 0n)).toBe(true);

    // each instance applied events of exactly the partitions its member owns (assignment unchanged meanwhile)
    const [byA, byB] = await Promise.all([appliedBy(a), appliedBy(b)]);
    for (const d of defs) {
      const g = await assignment(d.name);
      expect(g.members.map((m) => m.memberId).sort()).toEqual(shares.find((s) => s.d.name === d.name)!.g.members.map((m) => m.memberId).sort());
      for (const topic of d.topics) {
        const key = `${d.name}|${topic}`;
        const mine = [byA[key] ?? [], byB[key] ?? []];
        expect(mine.every((ps) => ps.length > 0)).toBe(true);
        expect(mine.sort((x, y) => x[0] - y[0])).toEqual(g.members.map((m) => owned(m, topic)).sort((x, y) => x[0] - y[0]));
      }
    }
  });

  it('hands the partitions of a stopped instance to the other, applying every event once, before, during and after', async () => {
    const defs = await projections();
    // traffic while B shuts down: upstream rounds and credit notes through A, until A owns everything,
    // and at least 4 rounds however fast the hand-over is (the later ones land after it)
    let stopped = false;
    let k = 1;
    const traffic = (async () => {
      while ((!stopped || k <= 4) && k < 200) {
        await round(LATER, k);
        await creditNote(a, invoiceIds[k % invoiceIds.length], 10 + (k % 7));
        k++;
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    traffic.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    try {
      const ended = await b.stop();
      expect(ended.signal === 'SIGTERM' || ended.code === 0).toBe(true);
      // (b) the one remaining member owns every partition of every topic
      await waitUntil(
        async () => {
          for (const d of defs) {
            const g = await assignment(d.name);
            if (g.state !== 'Stable' || g.members.length !== 1) return false;
            for (const topic of d.topics) if (owned(g.members[0], topic).join() !== (await partitionsOf(topic)).join()) return false;
          }
          return true;
        },
        { timeoutMs: 60_000, intervalMs: 250, what: 'the remaining instance to own every partition' },
      );
    } finally {
      stopped = true; // the traffic ends with the hand-over
    }
    await traffic;
    expect(k).toBeGreaterThan(3);

    // (c) everything produced before and during the hand-over applied once, and, with no further
    // traffic, the checkpoints stand at the end of the log (a batch cut short by the rebalance must not
    // leave them behind: ProjectionRunner reconciles them with the committed offsets)
    await untilAllApplied('the remaining instance to apply every event of the hand-over', 90_000);
    await waitUntil(() => checkpointsAtLogEnd(), { timeoutMs: 20_000, intervalMs: 250, what: 'the checkpoints to reach the end of every partition' });
    // read-your-writes after the hand-over: the last write is visible, not 409 READ_MODEL.BEHIND
    await request(a.url).get(`/invoices?minPosition=${lastWritePosition}`).set(auth).expect(200);

    // after the hand-over: more of everything, all on A
    await round(LATER, k++);
    await round(PERIOD, k++);
    // one credit note per invoice: every partition of the billing topic gets an event after the hand-over
    // (one invoice alone may sit on a partition the remaining instance already had)
    for (const invoiceId of invoiceIds) await creditNote(a, invoiceId, 5);
    await untilAllApplied('the remaining instance to apply the events after the hand-over');
    await waitUntil(() => checkpointsAtLogEnd(), { timeoutMs: 20_000, intervalMs: 250, what: 'the checkpoints to reach the end of every partition' });
    const applied = await appliedBy(a);
    for (const d of defs) for (const topic of d.topics) expect([`${d.name}|${topic}`, applied[`${d.name}|${topic}`]]).toEqual([`${d.name}|${topic}`, await partitionsOf(topic)]);

    // sums over HTTP equal the hand-computed ones
    for (const month of [PERIOD, LATER]) {
      const items = (await request(a.url).get(`/payouts?period=${month}`).set(auth).expect(200)).body.items as { assistantId: string; billedMinutes: number }[];
      expect(Object.fromEntries(items.map((i) => [i.assistantId, i.billedMinutes]))).toEqual(Object.fromEntries(pairs.map((p) => [p.assistantId, p.minutes[month]])));
    }
    const list = (await request(a.url).get(`/invoices?period=${PERIOD}&minPosition=${lastWritePosition}`).set(auth).expect(200)).body.items as { id: string; credited: { amountMinor: number }; version: number }[];
    expect(Object.fromEntries(list.map((i) => [i.id, i.credited.amountMinor]))).toEqual(Object.fromEntries([...credits].map(([id, c]) => [id, c.reduce((s, x) => s + x, 0)])));

    // nothing was dead-lettered
    for (const t of [Topics.clients, Topics.timeTracking, Topics.billing]) {
      const dlq = await admin.fetchTopicOffsets(deadLetterTopic(`${prefix}${t}`));
      expect(dlq.map((p) => [p.partition, p.high])).toEqual(dlq.map((p) => [p.partition, p.low]));
    }
  });

  /**
   * True once the read models hold exactly what was produced: every plan once and in order (a plan
   * change applied twice would push a second copy), every approved entry (minute sums per assistant and
   * month), and every credit note once (an `$inc` applied twice would inflate the credited amount).
   */
  async function allApplied(): Promise<boolean> {
    const db = mongo.db!;
    const engagements = await db.collection('bl_engagements').find({ agencyId: agency }).toArray();
    if (engagements.length !== pairs.length) return false;
    for (const p of pairs) {
      const e = engagements.find((x) => x._id.toString() === p.engagementId);
      const rates = ((e?.plans ?? []) as { plan: { rate: { amountMinor: number } } }[]).map((x) => x.plan.rate.amountMinor);
      if (rates.length > p.rates.length) throw new AppliedTwice(`engagement ${p.engagementId} has ${rates.length} plans, ${p.rates.length} were produced: applied twice`);
      if (e?._v !== p.rates.length || rates.join() !== p.rates.join()) return false;
    }
    const entries = await db.collection('bl_approved_entries').find({ agencyId: agency }).toArray();
    if (entries.length !== pairs.reduce((s, p) => s + p.entries, 0)) return false;
    for (const p of pairs) {
      for (const [month, minutes] of Object.entries(p.minutes)) {
        const sum = entries.filter((x) => x.assistantId === p.assistantId && x.month === month).reduce((s, x) => s + x.billedMinutes, 0);
        if (sum !== minutes) return false;
      }
    }
    if (invoiceIds.length > 0) {
      const invoices = await db.collection('bl_invoices').find({ agencyId: agency, period: PERIOD }).toArray();
      if (invoices.length !== invoiceIds.length) return false;
      for (const [id, c] of credits) {
        const inv = invoices.find((x) => x._id.toString() === id);
        const credited = c.reduce((s, x) => s + x, 0);
        if ((inv?.creditedMinor ?? 0) > credited) throw new AppliedTwice(`invoice ${id} credited ${inv?.creditedMinor}, ${credited} were issued: applied twice`);
        // drafted, issued, then one event per credit note
        if (inv?.status !== 'issued' || inv._v !== 2 + c.length || inv.creditedMinor !== credited) return false;
      }
    }
    return true;
  }

  /** Every projection's checkpoint of every partition is the end of that partition. */
  async function checkpointsAtLogEnd(): Promise<boolean> {
    const docs = await mongo.db!.collection('projection_checkpoints').find({}).toArray();
    for (const d of await projections()) {
      for (const topic of d.topics) {
        for (const [partition, high] of await logEnds(topic)) {
          const cp = docs.find((x) => x.projection === d.name && x.topic === topic && x.partition === partition);
          if (high > 0n && BigInt(cp?.nextOffset ?? '0') !== high) return false;
        }
      }
    }
    return true;
  }
});
