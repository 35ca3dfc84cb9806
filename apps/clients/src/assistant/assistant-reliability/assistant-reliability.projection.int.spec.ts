import type { EventEnvelope } from '@vaops/contracts';
import { applyBatch } from '@vaops/projections';
import { eventEnvelope, projectionSpec } from '@vaops/testing';
import { AssistantReliabilityProjection } from './assistant-reliability.projection';

const parties = (assistantId: string, appointmentId: string) => ({ appointmentId, engagementId: 'e-1', assistantId, clientId: 'c-1' });
const envelope = (assistantId: string, type: string, version: number, data: object) => eventEnvelope(type, data, { streamId: `calendar-${assistantId}`, version });

/** A calendar's events as the scheduling service publishes them: each counted kind once, and some that count for nobody. */
function calendar(assistantId: string): EventEnvelope[] {
  const p = (n: number) => parties(assistantId, `ap-${n}`);
  const booked = (n: number, v: number) =>
    envelope(assistantId, 'AppointmentBooked', v, { ...p(n), kind: 'check-in', startsAt: '2026-03-10T10:00:00.000Z', endsAt: '2026-03-10T10:30:00.000Z', title: null, bookedBy: 'agency', recurrence: null });
  const moved = { previousStartsAt: '2026-03-10T10:00:00.000Z', previousEndsAt: '2026-03-10T10:30:00.000Z', startsAt: '2026-03-11T10:00:00.000Z', endsAt: '2026-03-11T10:30:00.000Z', reason: 'r' };
  return [
    booked(1, 1),
    booked(2, 2),
    booked(3, 3),
    booked(4, 4),
    booked(5, 5),
    envelope(assistantId, 'AppointmentKept', 6, { ...p(1), by: 'assistant' }),
    envelope(assistantId, 'AppointmentRescheduled', 7, { ...p(2), ...moved, by: 'assistant', late: true }),
    envelope(assistantId, 'AppointmentRescheduled', 8, { ...p(2), ...moved, by: 'client', late: true }), // the client's, not the assistant's
    envelope(assistantId, 'AppointmentKept', 9, { ...p(2), by: 'client' }),
    envelope(assistantId, 'AppointmentCancelled', 10, { ...p(3), reason: 'r', by: 'agency', late: false }),
    envelope(assistantId, 'AppointmentCancelled', 11, { ...p(4), reason: 'engagement ended', by: 'system', late: false }), // nobody's
    envelope(assistantId, 'AppointmentNoShow', 12, { ...p(5), endsAt: '2026-03-10T10:30:00.000Z' }),
  ];
}

// a count no event raised is absent from the document (the reader answers 0 for it)
const expected = { kept: 2, rescheduledLate: 1, cancelledInTime: 1, noShow: 1 };

describe('assistant reliability projection (real Mongo-compatible server)', () => {
  const spec = projectionSpec('clients-reliability', [AssistantReliabilityProjection]);
  // the events of the calendar the projection has a handler for (not the bookings)
  const counted = (events: EventEnvelope[]) => events.filter((e) => spec.handles(e.type));
  const doc = (id: string) => spec.db.collection('assistant_reliability').findOne({ _id: id as never });

  it('counts what the scheduling service counts for the assistant, each event once, whatever is delivered again', async () => {
    const events = calendar('a-1');
    await spec.apply(counted(events));
    // a redelivery of every counted event, then of an older one, changes nothing
    await spec.apply(counted(events));
    await spec.apply(events[5]);
    expect(await doc('a-1')).toEqual({ _id: 'a-1', _v: 12, agencyId: 'ag', ...expected });
  });

  it('makes the same document when the events arrive in batches, as a rebuild applies them', async () => {
    const events = calendar('a-2');
    await applyBatch(spec.definition(), events.slice(0, 7), spec.store());
    await applyBatch(spec.definition(), events.slice(4), spec.store()); // overlapping: a batch retried after a crash
    const { _rev: _ignored, ...written } = (await doc('a-2'))!;
    expect(written).toEqual({ _id: 'a-2', _v: 12, agencyId: 'ag', ...expected });
  });
});
