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

describe('event contracts at run time', () => {
  it('upcasts AssistantRegistered v1 to the v2 consumers are written against', () => {
    const decoded = decodeEvent(envelope('AssistantRegistered', 1, assistantV1));
    expect(decoded.schemaVersion).toBe(2);
    expect(decoded.data).toEqual({ ...assistantV1, weeklyCapacityHours: undefined, weeklyCapacityMinutes: 2250 });
    expect(decoded.data).not.toHaveProperty('weeklyCapacityHours');
    // the rest of the envelope is what was published
    expect({ ...decoded, data: undefined, schemaVersion: 1 }).toEqual({ ...envelope('AssistantRegistered', 1, assistantV1), data: undefined });
  });

  it('hands a v2 event over unchanged', () => {
    const { weeklyCapacityHours: _h, ...rest } = assistantV1;
    const v2 = envelope('AssistantRegistered', 2, { ...rest, weeklyCapacityMinutes: 2400 });
    expect(decodeEvent(JSON.parse(JSON.stringify(v2)))).toEqual(v2);
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
    expect(() => decodeEvent(envelope('AssistantRegistered', 3, assistantV1))).toThrow('is newer than this consumer knows (v2)');
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
