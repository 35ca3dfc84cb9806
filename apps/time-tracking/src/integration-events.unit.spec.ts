import { validateEvent } from '@vaops/contracts';
import type { StoredEvent } from '@vaops/event-sourcing';
import { toIntegrationEvent } from './integration-events';

const stored = (type: string, data: object): StoredEvent =>
  ({
    eventId: 'ev-1',
    type,
    streamId: 'timelog-a-1',
    version: 3,
    position: 9,
    data,
    metadata: { agencyId: 'ag', actor: { sub: 'va', role: 'assistant' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-03-20T12:00:00.000Z' },
  }) as StoredEvent;

const parties = { engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1' };
const values = { category: 'data-entry', startedAt: '2026-03-09T10:00:00.000Z', endedAt: '2026-03-09T11:00:00.000Z', actualMinutes: 60, billedMinutes: 60, billable: true, isoWeek: '2026-W11', month: '2026-03', rounding: { minutes: 0, mode: 'up' } };
const sealed = (ct: string) => ({ pii: 'v1', person: 'e-1', iv: 'AAAAAAAAAAAAAAAA', ct });

describe('time-tracking integration events', () => {
  it('publishes sealed (or erased) notes and reasons as v2, each valid against its schema', () => {
    const events = [
      toIntegrationEvent(stored('TimeEntryLogged', { entryId: 'x', ...parties, ...values, notes: sealed('n'), source: 'manual' })),
      toIntegrationEvent(stored('TimeEntryLogged', { entryId: 'x', ...parties, ...values, notes: null, source: 'timer' })),
      toIntegrationEvent(stored('TimeEntryCorrected', { entryId: 'x', ...parties, ...values, notes: { pii: 'erased', person: 'e-1' } })),
      toIntegrationEvent(stored('TimeEntryAdjusted', { entryId: 'y', ...parties, ...values, notes: null, adjusts: 'x', reason: sealed('r') })),
      toIntegrationEvent(stored('TimesheetRejected', { ...parties, isoWeek: '2026-W11', entryIds: ['x'], reason: sealed('r'), rejectedBy: 'client' })),
    ];
    for (const e of events) {
      expect(e?.schemaVersion).toBe(2);
      validateEvent(e!);
    }
  });

  it('publishes events stored with plaintext before encryption as v1, as they were', () => {
    const events = [
      toIntegrationEvent(stored('TimeEntryLogged', { entryId: 'x', ...parties, ...values, notes: 'old notes', source: 'manual' })),
      toIntegrationEvent(stored('TimeEntryAdjusted', { entryId: 'y', ...parties, ...values, notes: null, adjusts: 'x', reason: 'old reason' })),
      toIntegrationEvent(stored('TimesheetRejected', { ...parties, isoWeek: '2026-W11', entryIds: ['x'], reason: 'old reason', rejectedBy: 'client' })),
    ];
    for (const e of events) {
      expect(e?.schemaVersion).toBe(1);
      validateEvent(e!);
    }
  });
});
