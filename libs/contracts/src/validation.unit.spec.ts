import { EnvelopeError, type EventEnvelope } from './envelope';
import { decodeEvent, EventContractError, validateEvent } from './validation';
import { EventCatalog, LatestSchemaVersion } from './catalog';
import { Upcasters } from './upcasting';

const envelope = (type: string, schemaVersion: number, data: object): EventEnvelope => ({
  eventId: '0190f5d2-0000-7000-8000-000000000001',
  type,
  schemaVersion,
  streamId: 'assistant-a1',
  version: 1,
  position: 7,
  metadata: {
    agencyId: 'agency-1',
    actor: { sub: 'ops', role: 'agency-admin' },
    correlationId: 'c1',
    causationId: 'c1',
    occurredAt: '2026-03-02T09:00:00.000Z',
  },
  data,
});

const assistantV1 = {
  assistantId: 'a1',
  name: 'Ana',
  email: 'ana@example.com',
  timezone: 'Europe/London',
  weeklyCapacityHours: 37.5,
  skills: ['bookkeeping'],
  payRate: { amountMinor: 1500, currency: 'USD' },
  workingHours: [{ day: 1, start: '09:00', end: '17:00' }],
};

const unsealed = (text: string) => ({ pii: 'unsealed', person: 'a1', text });

describe('event contracts at run time', () => {
  it('upcasts AssistantRegistered v1 through v2 to the v3 consumers are written against', () => {
    const decoded = decodeEvent(envelope('AssistantRegistered', 1, assistantV1));
    expect(decoded.schemaVersion).toBe(3);
    // the plaintext is marked for the consumer to seal under the assistant's key (the upcaster holds none)
    expect(decoded.data).toEqual({ ...assistantV1, weeklyCapacityHours: undefined, weeklyCapacityMinutes: 2250, name: unsealed('Ana'), email: unsealed('ana@example.com') });
    expect(decoded.data).not.toHaveProperty('weeklyCapacityHours');
    // the rest of the envelope is what was published
    expect({ ...decoded, data: undefined, schemaVersion: 1 }).toEqual({ ...envelope('AssistantRegistered', 1, assistantV1), data: undefined });
  });

  it('hands a v3 event over unchanged', () => {
    const { weeklyCapacityHours: _h, ...rest } = assistantV1;
    const sealed = { pii: 'v1', person: 'a1', iv: 'bm9uY2Utb2YtMTI=', ct: 'Y2lwaGVydGV4dA==' };
    const v3 = envelope('AssistantRegistered', 3, { ...rest, name: sealed, email: sealed, weeklyCapacityMinutes: 2400 });
    expect(decodeEvent(JSON.parse(JSON.stringify(v3)))).toEqual(v3);
  });

  it('upcasts an engagement’s v1 free text to v2, marked for sealing under the engagement’s key (a null reason stays null)', () => {
    const meta = { streamId: 'engagement-e1' };
    const summary = decodeEvent({ ...envelope('CommunicationLogged', 1, { engagementId: 'e1', channel: 'call', occurredAt: '2026-03-02T09:00:00.000Z', summary: 'Talked about the move' }), ...meta });
    expect(summary).toMatchObject({ schemaVersion: 2, data: { summary: { pii: 'unsealed', person: 'e1', text: 'Talked about the move' } } });
    const ended = decodeEvent({ ...envelope('EngagementEnded', 1, { engagementId: 'e1', endedBy: 'notice', endedOn: '2026-03-20', breachBy: null, reason: null }), ...meta });
    expect(ended).toMatchObject({ schemaVersion: 2, data: { reason: null } });
    const breach = decodeEvent({ ...envelope('EngagementEnded', 1, { engagementId: 'e1', endedBy: 'breach', endedOn: '2026-03-20', breachBy: 'client', reason: 'gone quiet' }), ...meta });
    expect(breach.data).toMatchObject({ reason: { pii: 'unsealed', person: 'e1', text: 'gone quiet' } });
  });

  it('upcasts a v1 AssistantCommitmentReserved to v2, its capacity-override reason marked for sealing under the engagement’s key', () => {
    const reserved = { assistantId: 'a1', engagementId: 'e1', clientId: 'c1', kind: 'part-time', weeklyHours: 5 };
    const meta = { streamId: 'assistant-a1' };
    const over = decodeEvent({ ...envelope('AssistantCommitmentReserved', 1, { ...reserved, capacityOverride: { reason: 'busy season' } }), ...meta });
    expect(over).toMatchObject({ schemaVersion: 2, data: { ...reserved, capacityOverride: { reason: { pii: 'unsealed', person: 'e1', text: 'busy season' } } } });
    expect(decodeEvent({ ...envelope('AssistantCommitmentReserved', 1, { ...reserved, capacityOverride: null }), ...meta }).data).toEqual({ ...reserved, capacityOverride: null });
  });

  it('upcasts billing’s v1 void and credit-note reasons to v2, marked for sealing under the client’s key', () => {
    const meta = { streamId: 'invoice-ag-c1-2026-03' };
    const voided = decodeEvent({ ...envelope('InvoiceVoided', 1, { invoiceId: 'i1', clientId: 'c1', reason: 'billed to the wrong entity', voidedAt: '2026-04-07T10:00:00.000Z' }), ...meta });
    expect(voided).toMatchObject({ schemaVersion: 2, data: { invoiceId: 'i1', reason: { pii: 'unsealed', person: 'c1', text: 'billed to the wrong entity' } } });
    const credit = decodeEvent({ ...envelope('CreditNoteIssued', 1, { creditNoteId: 'n1', invoiceId: 'i1', clientId: 'c1', amount: { amountMinor: 500, currency: 'USD' }, reason: 'goodwill', issuedAt: '2026-04-05T10:00:00.000Z' }), ...meta });
    expect(credit.data).toEqual({ creditNoteId: 'n1', invoiceId: 'i1', clientId: 'c1', amount: { amountMinor: 500, currency: 'USD' }, reason: { pii: 'unsealed', person: 'c1', text: 'goodwill' }, issuedAt: '2026-04-05T10:00:00.000Z' });
  });

  it('upcasts time entries’ notes and timesheets’ reasons to v2, marked for sealing under the engagement’s key (null notes stay null)', () => {
    const meta = { streamId: 'timelog-a1' };
    const parties = { engagementId: 'e1', assistantId: 'a1', clientId: 'c1' };
    const values = { category: 'data-entry', startedAt: '2026-03-09T10:00:00.000Z', endedAt: '2026-03-09T11:00:00.000Z', actualMinutes: 60, billedMinutes: 60, billable: true, isoWeek: '2026-W11', month: '2026-03', rounding: { minutes: 0, mode: 'up' } };
    const logged = decodeEvent({ ...envelope('TimeEntryLogged', 1, { entryId: 'x1', ...parties, ...values, notes: 'Sorted the Smith invoices', source: 'manual' }), ...meta });
    expect(logged).toMatchObject({ schemaVersion: 2, data: { notes: { pii: 'unsealed', person: 'e1', text: 'Sorted the Smith invoices' }, actualMinutes: 60 } });
    const corrected = decodeEvent({ ...envelope('TimeEntryCorrected', 1, { entryId: 'x1', ...parties, ...values, notes: null }), ...meta });
    expect(corrected).toMatchObject({ schemaVersion: 2, data: { notes: null } });
    const adjusted = decodeEvent({ ...envelope('TimeEntryAdjusted', 1, { entryId: 'x2', ...parties, ...values, notes: 'redone', adjusts: 'x1', reason: 'left early' }), ...meta });
    expect(adjusted.data).toMatchObject({ notes: { pii: 'unsealed', person: 'e1', text: 'redone' }, reason: { pii: 'unsealed', person: 'e1', text: 'left early' }, adjusts: 'x1' });
    const rejected = decodeEvent({ ...envelope('TimesheetRejected', 1, { ...parties, isoWeek: '2026-W11', entryIds: ['x1'], reason: 'which project?', rejectedBy: 'client' }), ...meta });
    expect(rejected).toMatchObject({ schemaVersion: 2, data: { reason: { pii: 'unsealed', person: 'e1', text: 'which project?' }, entryIds: ['x1'] } });
  });

  it('upcasts an appointment’s v1 title and reasons to v2, marked for sealing under its engagement’s key (a null title stays null)', () => {
    const parties = { appointmentId: 'ap1', engagementId: 'e1', assistantId: 'a1', clientId: 'c1' };
    const meta = { streamId: 'calendar-a1' };
    const slot = { kind: 'check-in', startsAt: '2026-03-10T10:00:00.000Z', endsAt: '2026-03-10T10:30:00.000Z', bookedBy: 'client', recurrence: null };
    const titled = decodeEvent({ ...envelope('AppointmentBooked', 1, { ...parties, ...slot, title: 'Divorce papers' }), ...meta });
    expect(titled).toMatchObject({ schemaVersion: 2, data: { ...parties, title: { pii: 'unsealed', person: 'e1', text: 'Divorce papers' } } });
    expect(decodeEvent({ ...envelope('AppointmentBooked', 1, { ...parties, ...slot, title: null }), ...meta })).toMatchObject({ schemaVersion: 2, data: { title: null } });
    const moved = { previousStartsAt: slot.startsAt, previousEndsAt: slot.endsAt, startsAt: '2026-03-10T11:00:00.000Z', endsAt: '2026-03-10T11:30:00.000Z', by: 'assistant', late: false };
    expect(decodeEvent({ ...envelope('AppointmentRescheduled', 1, { ...parties, ...moved, reason: 'dentist' }), ...meta }).data).toMatchObject({ reason: { pii: 'unsealed', person: 'e1', text: 'dentist' }, late: false });
    expect(decodeEvent({ ...envelope('AppointmentCancelled', 1, { ...parties, reason: 'sick', by: 'client', late: true }), ...meta }).data).toMatchObject({ reason: { pii: 'unsealed', person: 'e1', text: 'sick' }, late: true });
    // v2 carries the sealed form only: plaintext claiming v2 is refused
    expect(() => decodeEvent({ ...envelope('AppointmentCancelled', 2, { ...parties, reason: 'sick', by: 'client', late: true }), ...meta })).toThrow(EventContractError);
  });

  it('upcasts a v1 ClientRegistered (plaintext) to v2, its name and email marked for sealing', () => {
    const v1 = { ...envelope('ClientRegistered', 1, { clientId: 'c1', name: 'Cleo', email: 'c@x.co', timezone: 'Europe/Paris', currency: 'EUR' }), streamId: 'client-c1' };
    expect(decodeEvent(v1).data).toEqual({ clientId: 'c1', name: { pii: 'unsealed', person: 'c1', text: 'Cleo' }, email: { pii: 'unsealed', person: 'c1', text: 'c@x.co' }, timezone: 'Europe/Paris', currency: 'EUR' });
  });

  it('names the field that breaks the schema of the version it claims', () => {
    const bad = envelope('AssistantRegistered', 1, { ...assistantV1, payRate: { amountMinor: 15.5, currency: 'USD' } });
    expect(() => decodeEvent(bad)).toThrow(EventContractError);
    expect(() => decodeEvent(bad)).toThrow('data.payRate.amountMinor must be integer');
    const missing = envelope('AssistantRegistered', 2, { ...assistantV1 });
    expect(() => decodeEvent(missing)).toThrow('data.weeklyCapacityMinutes');
    expect(() => decodeEvent(envelope('InvoiceDrafted', 1, { invoiceId: 'i', clientId: 'c', period: '2026-13', currency: 'USD', lines: [], total: { amountMinor: 0, currency: 'USD' } }))).toThrow('data.period must match pattern');
  });

  it('refuses a version newer than this build knows, and a broken envelope', () => {
    expect(() => decodeEvent(envelope('AssistantRegistered', 4, assistantV1))).toThrow('is newer than this consumer knows (v3)');
    expect(() => decodeEvent({ ...envelope('ClientRegistered', 1, {}), metadata: null })).toThrow(EnvelopeError);
  });

  it('lets a type it does not know pass through on consume, but refuses it on produce', () => {
    const unknown = envelope('SomethingNew', 1, { anything: true });
    expect(decodeEvent(unknown)).toEqual(unknown);
    expect(() => validateEvent(unknown)).toThrow('type is not a public event type');
  });

  it('accepts fields added later (an optional field keeps the version)', () => {
    const withExtra = envelope('ClientRegistered', 1, { clientId: 'c', name: 'N', email: 'e@x.co', timezone: 'UTC', currency: 'USD', vatNumber: 'GB1' });
    expect(() => validateEvent(withExtra)).not.toThrow();
  });

  it('has an upcaster for every version but the latest of each type', () => {
    for (const c of EventCatalog) {
      const latest = LatestSchemaVersion[c.type];
      if (c.schemaVersion < latest) expect(Upcasters[c.type]?.[c.schemaVersion]).toBeInstanceOf(Function);
      else expect(Upcasters[c.type]?.[c.schemaVersion]).toBeUndefined();
    }
  });
});
