import type { HandoverScheduledV1, SealedPersonalData } from '@vaops/contracts';
import { DomainError } from '@vaops/event-sourcing';
import { DeciderSpecification } from '@vaops/testing/decider';
import type { Appointment, AppointmentToBook, CalendarEvent } from '../calendar/calendar';
import { calendarDecider, type CalendarCommand, type EngagementFacts, type SlotPolicy } from '../calendar/calendar.decider';
import type { HandoverEvent } from './handover';
import { handoverDecider } from './handover.decider';
import { meetingSlot } from './meeting-slot';
import { MONDAY_MORNING, weekdaysInLondon } from '../calendar/test-support/slot-policy';

const policy = weekdaysInLondon;
const now = MONDAY_MORNING;
// the replacement's engagement, from the handover day on
const replacement: EngagementFacts = { engagementId: 'e-2', clientId: 'c-1', assistantId: 'a-2', status: 'active', startsOn: '2026-03-16', endsOn: null };
const copy = (id: string, startsAt: string, endsAt: string, over: Partial<AppointmentToBook> = {}): AppointmentToBook => ({
  appointmentId: id,
  engagementId: 'e-2',
  assistantId: 'a-2',
  clientId: 'c-1',
  kind: 'check-in',
  startsAt,
  endsAt,
  title: null,
  bookedBy: 'system',
  recurrence: null,
  ...over,
});
const busy: CalendarEvent = { type: 'AppointmentBooked', data: copy('other', '2026-03-18T14:30:00.000Z', '2026-03-18T15:00:00.000Z', { engagementId: 'e-9', clientId: 'c-9' }) };
const takeOver = (appointments: AppointmentToBook[]): CalendarCommand => ({ type: 'TakeOver', data: { appointments, engagement: replacement, policy, now } });
const calendar = DeciderSpecification.for(calendarDecider);
/** The reason as the process seals it under the engagement's key. */
const handedOver: SealedPersonalData = { pii: 'v1', person: 'e-2', iv: 'bm9uY2Utb2YtMTI=', ct: 'aGFuZGVkIG92ZXI=' };

describe('handover on the calendars', () => {
  const tuesday = copy('x-1', '2026-03-17T10:00:00.000Z', '2026-03-17T10:30:00.000Z');
  const clash = copy('x-2', '2026-03-18T14:00:00.000Z', '2026-03-18T15:00:00.000Z');
  const late = copy('x-3', '2026-03-19T18:00:00.000Z', '2026-03-19T18:30:00.000Z');
  const early = copy('x-4', '2026-03-13T10:00:00.000Z', '2026-03-13T10:30:00.000Z');

  describe("when the replacement's calendar is busy at one time", () => {
    it('books the copies that fit and leaves out a clash, one outside their hours and one before their engagement', () => {
      calendar([busy]).when(takeOver([tuesday, clash, late, early])).then([{ type: 'AppointmentBooked', data: tuesday }]);
    });

    it('skips copies already booked (a redelivery), and never double-books two copies', () => {
      calendar([busy, { type: 'AppointmentBooked', data: tuesday }]).when(takeOver([tuesday])).thenNothingHappened();
      const same = copy('x-5', '2026-03-17T10:15:00.000Z', '2026-03-17T10:45:00.000Z');
      calendar([]).when(takeOver([tuesday, same])).then([{ type: 'AppointmentBooked', data: tuesday }]);
    });
  });

  describe('the handover meeting on the replacement calendar', () => {
    const meeting = copy('m-1', '2026-03-13T09:00:00.000Z', '2026-03-13T09:30:00.000Z', { kind: 'video-conference' });
    const book = (a: AppointmentToBook): CalendarCommand => ({ type: 'BookHandoverMeeting', data: { appointment: a, policy, now } });

    it('is booked before the engagement starts, once, but not over another appointment or outside the hours', () => {
      const done = calendar([]).when(book(meeting));
      done.then([{ type: 'AppointmentBooked', data: meeting }]);
      calendar(done.history()).when(book(meeting)).thenNothingHappened();
      calendar([busy]).when(book({ ...meeting, startsAt: '2026-03-18T14:15:00.000Z', endsAt: '2026-03-18T14:45:00.000Z' })).thenThrows(DomainError, 'APPOINTMENT.CONFLICT');
      calendar([]).when(book({ ...meeting, startsAt: '2026-03-13T07:00:00.000Z', endsAt: '2026-03-13T07:30:00.000Z' })).thenThrows(DomainError, 'APPOINTMENT.OUTSIDE_WORKING_HOURS');
    });
  });

  describe('releasing appointments for a handover', () => {
    const release = (ids: string[], at = now): CalendarCommand => ({ type: 'ReleaseForHandover', data: { appointmentIds: ids, reason: handedOver, now: at } });

    it('cancels, as the system, those still booked and ahead; nothing for the rest', () => {
      const given = [{ type: 'AppointmentBooked', data: tuesday } as CalendarEvent, busy];
      calendar(given).when(release(['x-1', 'unknown'])).then([
        { type: 'AppointmentCancelled', data: { appointmentId: 'x-1', engagementId: 'e-2', assistantId: 'a-2', clientId: 'c-1', reason: handedOver, by: 'system', late: false } },
      ]);
      calendar(given).when(release(['x-1'], '2026-03-17T10:05:00.000Z')).thenNothingHappened();
      const cancelled = calendar(given).when(release(['x-1'])).history();
      calendar(cancelled).when(release(['x-1'])).thenNothingHappened();
    });
  });
});

describe('handover record', () => {
  const scheduled: HandoverScheduledV1 = { engagementId: 'e-1', newEngagementId: 'e-2', clientId: 'c-1', outgoingAssistantId: 'a-1', replacementAssistantId: 'a-2', handoverOn: '2026-03-16', moved: [], conflicts: [], meeting: null };
  const unwound = { engagementId: 'e-1', newEngagementId: 'e-2', restored: [], unresolved: [], meetingCancelled: false };
  const given = DeciderSpecification.for(handoverDecider);
  const scheduledEvent: HandoverEvent = { type: 'HandoverScheduled', data: scheduled };

  it('records the schedule once', () => {
    given([]).when({ type: 'RecordSchedule', data: scheduled }).then([scheduledEvent]);
    given([scheduledEvent]).when({ type: 'RecordSchedule', data: scheduled }).thenNothingHappened();
  });

  it('records the undoing once, and a schedule arriving after it changes nothing', () => {
    const undone = given([scheduledEvent]).when({ type: 'RecordUnwind', data: unwound });
    undone.then([{ type: 'HandoverUnwound', data: unwound }]);
    given(undone.history()).when({ type: 'RecordUnwind', data: unwound }).thenNothingHappened();
    const early = given([]).when({ type: 'RecordUnwind', data: unwound }).history();
    given(early).when({ type: 'RecordSchedule', data: scheduled }).thenNothingHappened();
  });
});

describe('the handover meeting slot', () => {
  const appt = (startsAt: string, endsAt: string): Appointment => ({ appointmentId: startsAt, engagementId: 'e-9', assistantId: 'a-2', clientId: 'c-9', kind: 'check-in', startsAt, endsAt, status: 'booked', late: false, version: 1 });
  const slot = (over: { today?: string; replacement?: Appointment[]; hours?: SlotPolicy['workingHours'] } = {}) =>
    meetingSlot({
      handoverOn: '2026-03-16',
      endsOn: '2026-03-30',
      today: over.today ?? '2026-03-09',
      now: `${over.today ?? '2026-03-09'}T08:00:00.000Z`,
      outgoing: { policy, appointments: [] },
      replacement: { policy: { ...policy, workingHours: over.hours ?? policy.workingHours }, appointments: over.replacement ?? [] },
    });

  it('takes the earliest common half hour of the last working day before the handover (the weekend has no hours)', () => {
    expect(slot()).toEqual({ startsAt: '2026-03-13T09:00:00.000Z', endsAt: '2026-03-13T09:30:00.000Z' });
  });

  it('steps past a busy half hour, and a replacement who starts later', () => {
    expect(slot({ replacement: [appt('2026-03-13T09:00:00.000Z', '2026-03-13T09:30:00.000Z')] })?.startsAt).toBe('2026-03-13T09:30:00.000Z');
    expect(slot({ hours: [5].map((day) => ({ day, start: '13:00', end: '15:00' })) })?.startsAt).toBe('2026-03-13T13:00:00.000Z');
  });

  it('falls back to the days from the handover on, and finds nothing when the hours never meet', () => {
    expect(slot({ today: '2026-03-14' })?.startsAt).toBe('2026-03-16T09:00:00.000Z');
    expect(slot({ hours: [6].map((day) => ({ day, start: '09:00', end: '17:00' })) })).toBeNull();
  });
});
