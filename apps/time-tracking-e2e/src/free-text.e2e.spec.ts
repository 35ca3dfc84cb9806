import { MongoClient, type Db } from 'mongodb';
import request from 'supertest';
import { Topics } from '@vaops/contracts';
import { newId } from '@vaops/event-sourcing';
import { MongoEventStore } from '@vaops/mongo';
import { databaseName } from '@vaops/platform';
import { agencyRoles, bearer, readTopic, readYourWrites, seedEngagement, setTestClock, suiteServices, testKafka, uniqueName, untilTimeTrackingKnows, waitUntil } from '@vaops/testing';

/**
 * Time entries' notes and timesheets' reasons are an engagement's free text (issue 15, item 4): encrypted
 * under the engagement's key (bound to its client and assistant), never plaintext on the topic or in a read
 * model, answered in plaintext by every route that showed them, and `[erased]` once the assistant is erased.
 * A v1 event with plaintext published before encryption is sealed by the consumer and read back the same way.
 * Real servers; clients and time-tracking on one topic prefix.
 */
describe('free text of time entries and timesheets, encrypted under the engagement’s key', () => {
  const [clients, tt] = suiteServices(['clients', 'time-tracking'], { VAOPS_TEST_CLOCK: '1' });
  const agency = uniqueName('agency-tt-pii');
  const { admin, asClient, asAssistant } = agencyRoles(agency);
  const { get, post } = readYourWrites(() => tt, admin);
  const kafka = testKafka();
  const topic = () => `${tt.env.VAOPS_TOPIC_PREFIX}${Topics.timeTracking}`;
  const SECRETS = ['Hartley pension', 'Which Hartley form', 'two calls', 'Left the Hartley call', 'Old ledger of the Hartleys', 'Whose ledger'];
  let engagementId: string;
  let clientId: string;
  let assistantId: string;
  let entryId: string;
  let adjustmentId: string;
  const legacyEntry = newId();
  const week = () => `/timesheets/${engagementId}/2026-W11`;
  const oldWeek = () => `/timesheets/${engagementId}/2026-W10`;
  const entries = { category: 'data-entry', startedAt: '2026-03-10T10:00:00Z', billable: true };
  const put = async (path: string, body: object, token: string) => {
    const r = await request(tt.url).put(path).set(bearer(token)).send(body);
    expect({ path, status: r.status }).toEqual({ path, status: 200 });
    return r;
  };

  /** Runs `work` on time-tracking's database (its store and read models). */
  const inDb = async <T>(work: (db: Db) => Promise<T>): Promise<T> => {
    const mongo = new MongoClient(tt.env.MONGO_URL);
    try {
      return await work(mongo.db(databaseName(tt.env.MONGO_URL, 'time-tracking')));
    } finally {
      await mongo.close();
    }
  };
  /** The documents of a time-tracking read model that name the engagement, as stored. */
  const stored = (collection: string, id = engagementId) => inDb(async (db) => JSON.stringify(await db.collection(collection).find({ engagementId: id }).toArray()));
  const publishedAs = (type: string, entry: string) =>
    waitUntil(async () => (await readTopic(kafka, topic())).map((m) => JSON.parse(m.value!)).find((e) => e.type === type && e.data.entryId === entry), { timeoutMs: 30_000, what: `${type} of ${entry} on the topic` });

  beforeAll(async () => {
    await setTestClock(clients, admin, '2026-03-02T12:00:00Z');
    await setTestClock(tt, admin, '2026-03-20T12:00:00Z');
    ({ engagementId, clientId, assistantId } = await seedEngagement(clients, admin));
    await untilTimeTrackingKnows(tt, admin, engagementId);
  }, 120_000);

  it('publishes notes and reasons sealed (v2): a raw consumer of the topic never sees them', async () => {
    entryId = (await post('/time-entries', { engagementId, ...entries, endedAt: '2026-03-10T11:00:00Z', notes: 'Chased the Hartley pension forms' }, asAssistant(assistantId), 201)).body.id;
    await post(`${week()}/submit`, {}, asAssistant(assistantId), 200);
    await setTestClock(tt, admin, '2026-03-20T12:10:00Z');
    await post(`${week()}/reject`, { reason: 'Which Hartley form was this?' }, asClient(clientId), 200);
    await setTestClock(tt, admin, '2026-03-20T13:00:00Z');
    await put(`/time-entries/${entryId}`, { ...entries, endedAt: '2026-03-10T11:00:00Z', notes: 'Chased the Hartley pension forms (two calls)' }, asAssistant(assistantId));
    await post(`${week()}/submit`, {}, asAssistant(assistantId), 200);
    await post(`${week()}/approve`, {}, asClient(clientId), 200);
    adjustmentId = (await post(`/time-entries/${entryId}/adjustments`, { ...entries, endedAt: '2026-03-10T10:45:00Z', notes: 'Left the Hartley call early', reason: 'Left the Hartley call at 10:45' }, asAssistant(assistantId), 201)).body.id;

    const raw = await waitUntil(async () => {
      const values = (await readTopic(kafka, topic())).map((m) => m.value ?? '');
      return values.some((v) => v.includes('"TimeEntryAdjusted"')) ? values : undefined;
    }, { timeoutMs: 30_000, what: 'the adjustment on the topic' });
    for (const secret of SECRETS) expect(raw.join('\n')).not.toContain(secret);
    const published = raw.map((v) => JSON.parse(v)).filter((e) => e.data.engagementId === engagementId);
    const sealed = { pii: 'v1', person: engagementId, iv: expect.any(String), ct: expect.any(String) };
    expect(published.find((e) => e.type === 'TimeEntryLogged')).toMatchObject({ schemaVersion: 2, data: { entryId, notes: sealed, actualMinutes: 60 } });
    expect(published.find((e) => e.type === 'TimeEntryCorrected')).toMatchObject({ schemaVersion: 2, data: { entryId, notes: sealed } });
    expect(published.find((e) => e.type === 'TimesheetRejected')).toMatchObject({ schemaVersion: 2, data: { reason: sealed, entryIds: [entryId] } });
    expect(published.find((e) => e.type === 'TimeEntryAdjusted')).toMatchObject({ schemaVersion: 2, data: { entryId: adjustmentId, notes: sealed, reason: sealed, actualMinutes: -15 } });
  }, 60_000);

  it('answers them in plaintext on every route that shows them, while the read models keep only ciphertext', async () => {
    expect((await get(`/time-entries/${entryId}`, asAssistant(assistantId))).body).toMatchObject({ id: entryId, notes: 'Chased the Hartley pension forms (two calls)', actualMinutes: 60 });
    const notesOf = (items: { id: string; notes: string }[]) => items.map((e) => [e.id, e.notes]);
    expect(notesOf((await get(`/time-entries?engagementId=${engagementId}`)).body.items)).toEqual([
      [entryId, 'Chased the Hartley pension forms (two calls)'],
      [adjustmentId, 'Left the Hartley call early'],
    ]);
    // the client sees approved time only (the adjusting entry is still open)
    expect(notesOf((await get(`/time-entries?engagementId=${engagementId}`, asClient(clientId))).body.items)).toEqual([[entryId, 'Chased the Hartley pension forms (two calls)']]);
    const live = (await get(week())).body;
    expect(live.entries.map((e: { notes: string }) => e.notes)).toEqual(['Chased the Hartley pension forms (two calls)', 'Left the Hartley call early']);
    // as it stood when it was rejected: the first notes
    const rejected = (await get(`${week()}?asOf=2026-03-20T12:30:00Z`)).body;
    expect(rejected).toMatchObject({ status: 'rejected', entries: [{ id: entryId, notes: 'Chased the Hartley pension forms' }] });
    const history = (await get(`${week()}/history`, asClient(clientId))).body.items as { type: string; reason?: string; changes: { notes?: string } }[];
    expect(history.find((i) => i.type === 'TimesheetRejected')?.reason).toBe('Which Hartley form was this?');
    expect(history.find((i) => i.type === 'TimeEntryAdjusted')).toMatchObject({ reason: 'Left the Hartley call at 10:45', changes: { notes: 'Left the Hartley call early' } });
    expect(history.find((i) => i.type === 'TimeEntryLogged')?.changes.notes).toBe('Chased the Hartley pension forms');

    for (const collection of ['time_entries', 'timesheet_history']) {
      const docs = await stored(collection);
      expect(docs).toContain('"pii":"v1"');
      for (const secret of SECRETS) expect(docs).not.toContain(secret);
    }
  });

  it('seals a v1 event’s plaintext (published before encryption) on read: sealed in the read models, plaintext on the routes', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const v1 = (type: string, version: number, data: object) => ({
      key: `timelog-${assistantId}`,
      value: JSON.stringify({
        eventId: newId(),
        type,
        schemaVersion: 1,
        streamId: `timelog-${assistantId}`,
        version,
        position: 1_000_000 + version,
        metadata: { agencyId: agency, actor: { sub: `c-${clientId}`, role: 'client' }, correlationId: 'legacy', causationId: 'legacy', occurredAt: '2026-03-06T09:00:00.000Z' },
        data: { engagementId, assistantId, clientId, ...data },
      }),
    });
    const values = { category: 'data-entry', startedAt: '2026-03-03T10:00:00.000Z', endedAt: '2026-03-03T10:30:00.000Z', actualMinutes: 30, billedMinutes: 30, billable: true, isoWeek: '2026-W10', month: '2026-03', rounding: { minutes: 0, mode: 'up' } };
    await producer.send({
      topic: topic(),
      messages: [
        v1('TimeEntryLogged', 10_000, { entryId: legacyEntry, ...values, notes: 'Old ledger of the Hartleys', source: 'manual' }),
        v1('TimesheetSubmitted', 10_001, { isoWeek: '2026-W10', entryIds: [legacyEntry] }),
        v1('TimesheetRejected', 10_002, { isoWeek: '2026-W10', entryIds: [legacyEntry], reason: 'Whose ledger is this?', rejectedBy: 'client' }),
      ],
    });
    await producer.disconnect();
    const history = await waitUntil(async () => {
      const items = (await get(`${oldWeek()}/history`)).body.items as { type: string; reason?: string }[];
      return items.some((i) => i.type === 'TimesheetRejected') ? items : undefined;
    }, { timeoutMs: 30_000, what: 'the v1 rejection in the week’s history' });
    expect(history.find((i) => i.type === 'TimesheetRejected')?.reason).toBe('Whose ledger is this?');
    const entry = await waitUntil(async () => {
      const r = await request(tt.url).get(`/time-entries/${legacyEntry}`).set(bearer(admin));
      return r.status === 200 && r.body.status === 'rejected' ? r.body : undefined;
    }, { timeoutMs: 30_000, what: 'the v1 entry in the entries read model' });
    expect(entry).toMatchObject({ notes: 'Old ledger of the Hartleys', isoWeek: '2026-W10' });
    expect((await get(oldWeek())).body).toMatchObject({ status: 'rejected', entries: [{ id: legacyEntry, notes: 'Old ledger of the Hartleys' }] });
    for (const collection of ['time_entries', 'timesheet_history']) {
      const docs = await stored(collection);
      expect(docs).not.toContain('Old ledger');
      expect(docs).not.toContain('Whose ledger');
    }
  }, 60_000);

  it('answers [erased] everywhere once the assistant is erased; what is recorded after keeps no text; minutes stay', async () => {
    await request(clients.url).post(`/people/${assistantId}/erasure`).set(bearer(admin)).expect(202);
    // time-tracking hears PersonErased on the clients topic and drops the engagement's cached key
    const erasedEntry = await waitUntil(async () => {
      const body = (await get(`/time-entries/${entryId}`)).body;
      return body.notes === '[erased]' ? body : undefined;
    }, { timeoutMs: 30_000, what: 'time-tracking to answer the notes erased' });
    expect(erasedEntry).toMatchObject({ actualMinutes: 60, billedMinutes: 60, status: 'approved' });
    expect((await get(`/time-entries/${legacyEntry}`)).body.notes).toBe('[erased]');
    const live = (await get(week())).body;
    expect(live).toMatchObject({ billedMinutes: 45, entries: [{ notes: '[erased]' }, { notes: '[erased]' }] });
    expect((await get(`${week()}?asOf=2026-03-20T12:30:00Z`)).body.entries[0].notes).toBe('[erased]');
    const history = JSON.stringify((await get(`${week()}/history`)).body);
    for (const secret of SECRETS) expect(history).not.toContain(secret);
    expect((await get(`${week()}/history`)).body.items.find((i: { type: string }) => i.type === 'TimesheetRejected').reason).toBe('[erased]');
    expect(JSON.stringify((await get(`${oldWeek()}/history`)).body)).not.toContain('Whose ledger');

    // the agency still corrects the adjusting entry: its new notes are recorded erased, never in plaintext
    const corrected = await put(`/time-entries/${adjustmentId}`, { ...entries, endedAt: '2026-03-10T10:50:00Z', notes: 'Hartley pension follow-up after the erasure' }, admin);
    const after = await request(tt.url).get(`/time-entries/${adjustmentId}?minPosition=${corrected.body.position}`).set(bearer(admin)).expect(200);
    expect(after.body).toMatchObject({ notes: '[erased]', actualMinutes: -10 });
    const raw = await waitUntil(async () => {
      const values = (await readTopic(kafka, topic())).map((m) => m.value ?? '');
      return values.some((v) => v.includes('"TimeEntryCorrected"') && v.includes(adjustmentId)) ? values.join('\n') : undefined;
    }, { timeoutMs: 30_000, what: 'the correction on the topic' });
    expect(raw).not.toContain('follow-up after the erasure');
  }, 60_000);

  it('publishes an entry stored with plaintext before encryption as v1 (as it was), reads it sealed, and corrects it with sealed notes', async () => {
    const second = await seedEngagement(clients, admin);
    await untilTimeTrackingKnows(tt, admin, second.engagementId);
    const oldEntry = newId();
    // as an older time-tracking service wrote it: the entry's index, then its event with the notes in plaintext
    await inDb(async (db) => {
      await db.collection<{ _id: string; assistantId: string; agencyId: string }>('time_entry_index').insertOne({ _id: oldEntry, assistantId: second.assistantId, agencyId: agency });
      const data = { entryId: oldEntry, engagementId: second.engagementId, assistantId: second.assistantId, clientId: second.clientId, category: 'data-entry', startedAt: '2026-03-11T09:00:00.000Z', endedAt: '2026-03-11T09:20:00.000Z', actualMinutes: 20, billedMinutes: 20, billable: true, notes: 'Filed the Pemberton receipts', isoWeek: '2026-W11', month: '2026-03', rounding: { minutes: 0, mode: 'up' }, source: 'manual' };
      const metadata = { agencyId: agency, actor: { sub: 'va-old', role: 'assistant' as const }, correlationId: 'old-tt', causationId: 'old-tt', occurredAt: '2026-03-11T10:00:00.000Z' };
      await new MongoEventStore(db).appendToStream(`timelog-${second.assistantId}`, 0, [{ type: 'TimeEntryLogged', data }], metadata);
    });
    expect(await publishedAs('TimeEntryLogged', oldEntry)).toMatchObject({ schemaVersion: 1, data: { notes: 'Filed the Pemberton receipts' } });
    const read = await waitUntil(async () => {
      const r = await request(tt.url).get(`/time-entries/${oldEntry}`).set(bearer(admin));
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 30_000, what: 'the old entry in the entries read model' });
    expect(read).toMatchObject({ notes: 'Filed the Pemberton receipts', actualMinutes: 20 });
    for (const collection of ['time_entries', 'timesheet_history']) expect(await stored(collection, second.engagementId)).not.toContain('Pemberton');

    // the timelog folds the old plaintext event and decides on it; the correction's notes are sealed
    const corrected = await put(`/time-entries/${oldEntry}`, { ...entries, startedAt: '2026-03-11T09:00:00Z', endedAt: '2026-03-11T09:30:00Z', notes: 'Filed the Pemberton receipts and invoices' }, asAssistant(second.assistantId));
    const after = await request(tt.url).get(`/time-entries/${oldEntry}?minPosition=${corrected.body.position}`).set(bearer(admin)).expect(200);
    expect(after.body).toMatchObject({ notes: 'Filed the Pemberton receipts and invoices', actualMinutes: 30, version: 2 });
    const correction = await publishedAs('TimeEntryCorrected', oldEntry);
    expect(correction).toMatchObject({ schemaVersion: 2, data: { notes: { pii: 'v1', person: second.engagementId } } });
    expect(JSON.stringify(correction)).not.toContain('Pemberton');
  }, 60_000);
});
