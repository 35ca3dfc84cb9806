import type { SealedPersonalData } from '@vaops/contracts';
import { ConcurrencyConflictError, DomainError } from '@vaops/event-sourcing';
import { DeciderSpecification } from '@vaops/testing/decider';
import type { AppointmentToBook, CalendarEvent } from './calendar';
import { calendarDecider, type CalendarCommand, type EngagementFacts, type SlotPolicy } from './calendar.decider';
import { expandSeries, withinWorkingHours } from '../shared/time';
import { MONDAY_MORNING, weekdaysInLondon } from './test-support/slot-policy';

const engagement: EngagementFacts = { engagementId: 'e-1', clientId: 'c-1', assistantId: 'a-1', status: 'active', startsOn: '2026-03-02', endsOn: null };
const policy = weekdaysInLondon;
const now = MONDAY_MORNING;
/** Text as the routes hand it to the decider: encrypted under the engagement's key (the decider never reads it). */
const sealed = (ct: string): SealedPersonalData => ({ pii: 'v1', person: 'e-1', iv: 'bm9uY2Utb2YtMTI=', ct });
const booking = (id: string, startsAt: string, endsAt: string, over: Partial<AppointmentToBook> = {}): AppointmentToBook => ({
  appointmentId: id,
  engagementId: 'e-1',
  assistantId: 'a-1',
  clientId: 'c-1',
  kind: 'check-in',
  startsAt,
  endsAt,
  title: null,
  bookedBy: 'agency',
  recurrence: null,
  ...over,
});
const tuesday10 = booking('ap-1', '2026-03-10T10:00:00.000Z', '2026-03-10T10:30:00.000Z');
const book = (appointments: AppointmentToBook[], over: Partial<SlotPolicy> = {}, eng: Partial<EngagementFacts> = {}): CalendarCommand => ({
  type: 'Book',
  data: { appointments, engagement: { ...engagement, ...eng }, policy: { ...policy, ...over }, now },
});
const booked: CalendarEvent = { type: 'AppointmentBooked', data: tuesday10 };
const given = DeciderSpecification.for(calendarDecider);

describe('calendar decider', () => {
  describe('when the calendar is empty', () => {
    it('books an appointment inside the engagement and the working hours', () => {
      given([]).when(book([tuesday10])).then([booked]);
    });

    it('records the title as the route sealed it, never reading it', () => {
      const titled = { ...tuesday10, title: sealed('V2Vla2x5') };
      given([]).when(book([titled])).then([{ type: 'AppointmentBooked', data: titled }]);
      const erased = { ...tuesday10, title: { pii: 'erased' as const, person: 'e-1' } };
      given([]).when(book([erased])).then([{ type: 'AppointmentBooked', data: erased }]);
    });

    it('refuses an appointment in the past, or ending before it starts', () => {
      given([]).when(book([booking('x', '2026-03-09T07:00:00.000Z', '2026-03-09T09:30:00.000Z')])).thenThrows(DomainError, 'APPOINTMENT.IN_PAST');
      given([]).when(book([booking('x', '2026-03-10T10:00:00.000Z', '2026-03-10T10:00:00.000Z')])).thenThrows(DomainError, 'APPOINTMENT.ENDS_BEFORE_START');
    });

    it('refuses outside the engagement: ended, before its start, on or after its end', () => {
      given([]).when(book([tuesday10], {}, { status: 'ended' })).thenThrows(DomainError, 'APPOINTMENT.ENGAGEMENT_NOT_ACTIVE');
      given([]).when(book([tuesday10], {}, { startsOn: '2026-03-11' })).thenThrows(DomainError, 'APPOINTMENT.OUTSIDE_ENGAGEMENT');
      given([]).when(book([tuesday10], {}, { status: 'in-notice', endsOn: '2026-03-10' })).thenThrows(DomainError, 'APPOINTMENT.OUTSIDE_ENGAGEMENT');
      given([]).when(book([tuesday10], {}, { status: 'in-notice', endsOn: '2026-03-11' })).then([booked]);
    });

    it("refuses outside the assistant's working hours unless the engagement allows it", () => {
      const evening = booking('ap-2', '2026-03-10T18:00:00.000Z', '2026-03-10T18:30:00.000Z');
      given([]).when(book([evening])).thenThrows(DomainError, 'APPOINTMENT.OUTSIDE_WORKING_HOURS');
      given([]).when(book([evening], { allowOutsideWorkingHours: true })).thenMatches([{ type: 'AppointmentBooked' }]);
    });
  });

  describe('when the assistant has an appointment', () => {
    const state: CalendarEvent[] = [booked];

    it('refuses an overlapping one from any client, revealing nothing about it', () => {
      const other = booking('ap-2', '2026-03-10T10:15:00.000Z', '2026-03-10T11:00:00.000Z', { engagementId: 'e-2', clientId: 'c-2' });
      given(state)
        .when(book([other], {}, { engagementId: 'e-2', clientId: 'c-2' }))
        .thenThrows(DomainError, { code: 'APPOINTMENT.CONFLICT', kind: 'conflict', details: undefined, message: expect.not.stringMatching(/ap-1|c-1|e-1/) });
    });

    it('accepts back-to-back appointments, but not inside the agency buffer', () => {
      const next = booking('ap-2', '2026-03-10T10:30:00.000Z', '2026-03-10T11:00:00.000Z');
      given(state).when(book([next])).thenMatches([{ type: 'AppointmentBooked' }]);
      given(state).when(book([next], { bufferMinutes: 15 })).thenThrows(DomainError, 'APPOINTMENT.CONFLICT');
    });

    it('is idempotent for a booking it already holds', () => {
      given(state).when(book([tuesday10])).thenNothingHappened();
    });

    it('reschedules in time before the minimum notice, and late within it', () => {
      const move = (at: string): CalendarCommand => ({
        type: 'Reschedule',
        data: { appointmentId: 'ap-1', startsAt: '2026-03-11T10:00:00.000Z', endsAt: '2026-03-11T10:30:00.000Z', reason: sealed('cg=='), by: 'assistant', engagement, policy, minimumNoticeHours: 24, now: at },
      });
      given(state).when(move(now)).thenMatches([{ type: 'AppointmentRescheduled', data: { late: false, previousStartsAt: tuesday10.startsAt, by: 'assistant', reason: sealed('cg==') } }]);
      given(state).when(move('2026-03-09T10:00:01.000Z')).thenMatches([{ data: { late: true } }]);
    });

    it('moves an appointment onto its own old slot partly (it does not conflict with itself)', () => {
      given(state)
        .when({ type: 'Reschedule', data: { appointmentId: 'ap-1', startsAt: '2026-03-10T10:15:00.000Z', endsAt: '2026-03-10T10:45:00.000Z', reason: sealed('cg=='), by: 'client', engagement, policy, minimumNoticeHours: 24, now } })
        .thenMatches([{ type: 'AppointmentRescheduled' }]);
    });

    it('cancels in time or late, recording who did it', () => {
      const cancel = (at: string): CalendarCommand => ({ type: 'Cancel', data: { appointmentId: 'ap-1', reason: sealed('c2ljaw=='), by: 'client', minimumNoticeHours: 24, now: at } });
      given(state).when(cancel(now)).then([{ type: 'AppointmentCancelled', data: { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1', reason: sealed('c2ljaw=='), by: 'client', late: false } }]);
      given(state).when(cancel('2026-03-10T09:00:00.000Z')).thenMatches([{ data: { late: true } }]);
      given(state).when(cancel('2026-03-10T10:00:00.000Z')).thenThrows(DomainError, 'APPOINTMENT.ALREADY_STARTED');
    });

    it('is kept once started, never before', () => {
      given(state).when({ type: 'MarkKept', data: { appointmentId: 'ap-1', by: 'assistant', now } }).thenThrows(DomainError, 'APPOINTMENT.NOT_STARTED');
      given(state).when({ type: 'MarkKept', data: { appointmentId: 'ap-1', by: 'assistant', now: '2026-03-10T10:05:00.000Z' } }).thenMatches([{ type: 'AppointmentKept' }]);
    });

    it('is kept at the If-Match version only, when one is given', () => {
      const kept = (expectedVersion: number) => given(state).when({ type: 'MarkKept', data: { appointmentId: 'ap-1', by: 'assistant', now: '2026-03-10T10:05:00.000Z', expectedVersion } });
      kept(7).thenThrows(ConcurrencyConflictError, 'CONCURRENCY.CONFLICT');
      kept(1).thenMatches([{ type: 'AppointmentKept' }]);
    });

    it('becomes a no-show once its end passes without being kept, once', () => {
      given(state).when({ type: 'MarkNoShows', data: { now: '2026-03-10T10:29:00.000Z' } }).thenNothingHappened();
      const noShow = given(state).when({ type: 'MarkNoShows', data: { now: '2026-03-10T10:30:00.000Z' } });
      noShow.then([{ type: 'AppointmentNoShow', data: { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1', endsAt: tuesday10.endsAt } }]);
      given(noShow.history()).when({ type: 'MarkNoShows', data: { now: '2026-03-11T00:00:00.000Z' } }).thenNothingHappened();
    });

    it('cancels the future appointments of an ended engagement as the system, once', () => {
      const reason = sealed('ZW5nYWdlbWVudCBlbmRlZA==');
      const cancelled = given(state).when({ type: 'CancelForEndedEngagement', data: { engagementId: 'e-1', reason, now } });
      cancelled.then([{ type: 'AppointmentCancelled', data: expect.objectContaining({ appointmentId: 'ap-1', reason, by: 'system', late: false }) }]);
      given(cancelled.history()).when({ type: 'CancelForEndedEngagement', data: { engagementId: 'e-1', reason, now } }).thenNothingHappened();
      given(state).when({ type: 'CancelForEndedEngagement', data: { engagementId: 'e-2', reason: { pii: 'erased', person: 'e-2' }, now } }).thenNothingHappened();
    });
  });

  describe('when the appointment was cancelled', () => {
    const state: CalendarEvent[] = [booked, { type: 'AppointmentCancelled', data: { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1', reason: sealed('cg=='), by: 'client', late: false } }];

    it('frees its slot and cannot be moved, cancelled or kept', () => {
      given(state).when(book([booking('ap-2', tuesday10.startsAt, tuesday10.endsAt)])).thenMatches([{ type: 'AppointmentBooked' }]);
      given(state).when({ type: 'Cancel', data: { appointmentId: 'ap-1', reason: sealed('cg=='), by: 'client', minimumNoticeHours: 24, now } }).thenThrows(DomainError, 'APPOINTMENT.NOT_BOOKED');
      given(state).when({ type: 'MarkKept', data: { appointmentId: 'ap-1', by: 'client', now: '2026-03-10T10:05:00.000Z' } }).thenThrows(DomainError, 'APPOINTMENT.NOT_BOOKED');
    });
  });

  describe('a recurring series', () => {
    it('keeps 09:00 New York across the March and November DST changes', () => {
      const first = { startsAt: '2026-03-02T14:00:00.000Z', endsAt: '2026-03-02T14:30:00.000Z' };
      const series = expandSeries(first, 'America/New_York', 'week', { count: 3, max: 52 });
      expect(series.map((s) => s.startsAt)).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-16T13:00:00.000Z']);
      const fall = expandSeries({ startsAt: '2026-10-26T13:00:00.000Z', endsAt: '2026-10-26T13:30:00.000Z' }, 'America/New_York', '2-weeks', { until: '2026-11-09', max: 52 });
      expect(fall).toEqual([
        { startsAt: '2026-10-26T13:00:00.000Z', endsAt: '2026-10-26T13:30:00.000Z' },
        { startsAt: '2026-11-09T14:00:00.000Z', endsAt: '2026-11-09T14:30:00.000Z' },
      ]);
    });

    it('books every occurrence in one decision, or none when one conflicts', () => {
      const occurrences = expandSeries({ startsAt: '2026-03-10T10:00:00.000Z', endsAt: '2026-03-10T10:30:00.000Z' }, 'UTC', 'week', { count: 3, max: 52 });
      const series = occurrences.map((o, i) => booking(`s-${i}`, o.startsAt, o.endsAt));
      given([]).when(book(series)).thenMatches([{ type: 'AppointmentBooked' }, { type: 'AppointmentBooked' }, { type: 'AppointmentBooked' }]);
      given([booked]).when(book(series)).thenThrows(DomainError, 'APPOINTMENT.CONFLICT');
    });
  });

  describe('working hours', () => {
    const hours = [{ day: 1, start: '09:00', end: '17:00' }, { day: 2, start: '20:00', end: '24:00' }];
    it('are read in the assistant zone, up to midnight', () => {
      expect(withinWorkingHours('2026-03-09T09:00:00.000Z', '2026-03-09T17:00:00.000Z', 'Europe/London', hours)).toBe(true);
      expect(withinWorkingHours('2026-03-30T08:00:00.000Z', '2026-03-30T09:00:00.000Z', 'Europe/London', hours)).toBe(true); // 09:00 BST
      expect(withinWorkingHours('2026-03-09T16:30:00.000Z', '2026-03-09T17:30:00.000Z', 'Europe/London', hours)).toBe(false);
      expect(withinWorkingHours('2026-03-10T15:00:00.000Z', '2026-03-10T16:00:00.000Z', 'Asia/Manila', hours)).toBe(true); // 23:00-24:00
      expect(withinWorkingHours('2026-03-10T15:00:00.000Z', '2026-03-10T16:30:00.000Z', 'Asia/Manila', hours)).toBe(false);
    });

    it("run past midnight into the next day's window (a night shift), never into a day without one", () => {
      // Manila, Monday to Wednesday 21:00-24:00 and Tuesday to Thursday 00:00-05:00
      const nights = [1, 2, 3].flatMap((day) => [{ day, start: '21:00', end: '24:00' }, { day: day + 1, start: '00:00', end: '05:00' }]);
      expect(withinWorkingHours('2026-03-09T15:30:00.000Z', '2026-03-09T16:30:00.000Z', 'Asia/Manila', nights)).toBe(true); // Mon 23:30 - Tue 00:30
      expect(withinWorkingHours('2026-03-09T13:00:00.000Z', '2026-03-09T21:00:00.000Z', 'Asia/Manila', nights)).toBe(true); // the whole shift
      expect(withinWorkingHours('2026-03-09T13:00:00.000Z', '2026-03-09T21:30:00.000Z', 'Asia/Manila', nights)).toBe(false); // to 05:30
      expect(withinWorkingHours('2026-03-12T15:30:00.000Z', '2026-03-12T16:30:00.000Z', 'Asia/Manila', nights)).toBe(false); // Thu 23:30: no Thursday night
      // every day, all day (24:00 then 00:00): a slot across midnight fits
      const allDay = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' }));
      expect(withinWorkingHours('2026-03-09T23:40:00.000Z', '2026-03-10T00:10:00.000Z', 'UTC', allDay)).toBe(true);
      expect(withinWorkingHours('2026-03-28T23:30:00.000Z', '2026-03-29T01:30:00.000Z', 'Europe/London', allDay)).toBe(true); // the night the clocks go forward
    });

    it('join the windows of one day that touch, not those with a gap between them', () => {
      const split = [{ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '12:00', end: '17:00' }, { day: 2, start: '09:00', end: '12:00' }, { day: 2, start: '13:00', end: '17:00' }];
      expect(withinWorkingHours('2026-03-09T11:30:00.000Z', '2026-03-09T12:30:00.000Z', 'UTC', split)).toBe(true);
      expect(withinWorkingHours('2026-03-10T11:30:00.000Z', '2026-03-10T13:30:00.000Z', 'UTC', split)).toBe(false);
      expect(withinWorkingHours('2026-03-10T13:00:00.000Z', '2026-03-10T17:00:00.000Z', 'UTC', split)).toBe(true);
    });
  });
});
