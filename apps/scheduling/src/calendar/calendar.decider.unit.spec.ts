import type { AppointmentBookedV1 } from '@vaops/contracts';
import { deciderSpec } from '@vaops/event-sourcing';
import type { CalendarEvent } from './calendar';
import { calendarDecider, type CalendarCommand, type EngagementFacts, type SlotPolicy } from './calendar.decider';
import { expandSeries, withinWorkingHours } from '../shared/time';

const engagement: EngagementFacts = { engagementId: 'e-1', clientId: 'c-1', assistantId: 'a-1', status: 'active', startsOn: '2026-03-02', endsOn: null };
const policy: SlotPolicy = {
  bufferMinutes: 0,
  agencyZone: 'UTC',
  assistantZone: 'Europe/London',
  workingHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  allowOutsideWorkingHours: false,
};
const now = '2026-03-09T08:00:00.000Z'; // Monday
const booking = (id: string, startsAt: string, endsAt: string, over: Partial<AppointmentBookedV1> = {}): AppointmentBookedV1 => ({
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
const book = (appointments: AppointmentBookedV1[], over: Partial<SlotPolicy> = {}, eng: Partial<EngagementFacts> = {}): CalendarCommand => ({
  type: 'Book',
  data: { appointments, engagement: { ...engagement, ...eng }, policy: { ...policy, ...over }, now },
});
const rule = (code: string) => expect.objectContaining({ code });
const booked: CalendarEvent = { type: 'AppointmentBooked', data: tuesday10 };
const { when } = deciderSpec(calendarDecider);

describe('calendar decider', () => {
  describe('when the calendar is empty', () => {
    it('books an appointment inside the engagement and the working hours', () => {
      expect(when([], book([tuesday10]))).toEqual([booked]);
    });

    it('refuses an appointment in the past, or ending before it starts', () => {
      expect(() => when([], book([booking('x', '2026-03-09T07:00:00.000Z', '2026-03-09T09:30:00.000Z')]))).toThrow(rule('APPOINTMENT.IN_PAST'));
      expect(() => when([], book([booking('x', '2026-03-10T10:00:00.000Z', '2026-03-10T10:00:00.000Z')]))).toThrow(rule('APPOINTMENT.ENDS_BEFORE_START'));
    });

    it('refuses outside the engagement: ended, before its start, on or after its end', () => {
      expect(() => when([], book([tuesday10], {}, { status: 'ended' }))).toThrow(rule('APPOINTMENT.ENGAGEMENT_NOT_ACTIVE'));
      expect(() => when([], book([tuesday10], {}, { startsOn: '2026-03-11' }))).toThrow(rule('APPOINTMENT.OUTSIDE_ENGAGEMENT'));
      expect(() => when([], book([tuesday10], {}, { status: 'in-notice', endsOn: '2026-03-10' }))).toThrow(rule('APPOINTMENT.OUTSIDE_ENGAGEMENT'));
      expect(when([], book([tuesday10], {}, { status: 'in-notice', endsOn: '2026-03-11' }))).toEqual([booked]);
    });

    it("refuses outside the assistant's working hours unless the engagement allows it", () => {
      const evening = booking('ap-2', '2026-03-10T18:00:00.000Z', '2026-03-10T18:30:00.000Z');
      expect(() => when([], book([evening]))).toThrow(rule('APPOINTMENT.OUTSIDE_WORKING_HOURS'));
      expect(when([], book([evening], { allowOutsideWorkingHours: true }))).toHaveLength(1);
    });
  });

  describe('when the assistant has an appointment', () => {
    const state: CalendarEvent[] = [booked];

    it('refuses an overlapping one from any client, revealing nothing about it', () => {
      const other = booking('ap-2', '2026-03-10T10:15:00.000Z', '2026-03-10T11:00:00.000Z', { engagementId: 'e-2', clientId: 'c-2' });
      try {
        when(state, book([other], {}, { engagementId: 'e-2', clientId: 'c-2' }));
        throw new Error('expected a conflict');
      } catch (err) {
        expect(err).toMatchObject({ code: 'APPOINTMENT.CONFLICT', kind: 'conflict', details: undefined });
        expect(String((err as Error).message)).not.toMatch(/ap-1|c-1|e-1/);
      }
    });

    it('accepts back-to-back appointments, but not inside the agency buffer', () => {
      const next = booking('ap-2', '2026-03-10T10:30:00.000Z', '2026-03-10T11:00:00.000Z');
      expect(when(state, book([next]))).toHaveLength(1);
      expect(() => when(state, book([next], { bufferMinutes: 15 }))).toThrow(rule('APPOINTMENT.CONFLICT'));
    });

    it('is idempotent for a booking it already holds', () => {
      expect(when(state, book([tuesday10]))).toEqual([]);
    });

    it('reschedules in time before the minimum notice, and late within it', () => {
      const move = (at: string): CalendarCommand => ({
        type: 'Reschedule',
        data: { appointmentId: 'ap-1', startsAt: '2026-03-11T10:00:00.000Z', endsAt: '2026-03-11T10:30:00.000Z', reason: 'r', by: 'assistant', engagement, policy, minimumNoticeHours: 24, now: at },
      });
      expect(when(state, move(now))[0]).toMatchObject({ type: 'AppointmentRescheduled', data: { late: false, previousStartsAt: tuesday10.startsAt, by: 'assistant' } });
      expect(when(state, move('2026-03-09T10:00:01.000Z'))[0].data).toMatchObject({ late: true });
    });

    it('moves an appointment onto its own old slot partly (it does not conflict with itself)', () => {
      const [e] = when(state, { type: 'Reschedule', data: { appointmentId: 'ap-1', startsAt: '2026-03-10T10:15:00.000Z', endsAt: '2026-03-10T10:45:00.000Z', reason: 'r', by: 'client', engagement, policy, minimumNoticeHours: 24, now } });
      expect(e.type).toBe('AppointmentRescheduled');
    });

    it('cancels in time or late, recording who did it', () => {
      const cancel = (at: string): CalendarCommand => ({ type: 'Cancel', data: { appointmentId: 'ap-1', reason: 'sick', by: 'client', minimumNoticeHours: 24, now: at } });
      expect(when(state, cancel(now))).toEqual([{ type: 'AppointmentCancelled', data: { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1', reason: 'sick', by: 'client', late: false } }]);
      expect(when(state, cancel('2026-03-10T09:00:00.000Z'))[0].data).toMatchObject({ late: true });
      expect(() => when(state, cancel('2026-03-10T10:00:00.000Z'))).toThrow(rule('APPOINTMENT.ALREADY_STARTED'));
    });

    it('is kept once started, never before', () => {
      expect(() => when(state, { type: 'MarkKept', data: { appointmentId: 'ap-1', by: 'assistant', now } })).toThrow(rule('APPOINTMENT.NOT_STARTED'));
      expect(when(state, { type: 'MarkKept', data: { appointmentId: 'ap-1', by: 'assistant', now: '2026-03-10T10:05:00.000Z' } })[0].type).toBe('AppointmentKept');
    });

    it('is kept at the If-Match version only, when one is given', () => {
      const kept = (expectedVersion: number) => when(state, { type: 'MarkKept', data: { appointmentId: 'ap-1', by: 'assistant', now: '2026-03-10T10:05:00.000Z', expectedVersion } });
      expect(() => kept(7)).toThrow(expect.objectContaining({ code: 'CONCURRENCY.CONFLICT' }));
      expect(kept(1)[0].type).toBe('AppointmentKept');
    });

    it('becomes a no-show once its end passes without being kept, once', () => {
      expect(when(state, { type: 'MarkNoShows', data: { now: '2026-03-10T10:29:00.000Z' } })).toEqual([]);
      const events = when(state, { type: 'MarkNoShows', data: { now: '2026-03-10T10:30:00.000Z' } });
      expect(events).toEqual([{ type: 'AppointmentNoShow', data: { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1', endsAt: tuesday10.endsAt } }]);
      expect(when([booked, ...events], { type: 'MarkNoShows', data: { now: '2026-03-11T00:00:00.000Z' } })).toEqual([]);
    });

    it('cancels the future appointments of an ended engagement as the system, once', () => {
      const events = when(state, { type: 'CancelForEndedEngagement', data: { engagementId: 'e-1', now } });
      expect(events).toEqual([{ type: 'AppointmentCancelled', data: expect.objectContaining({ appointmentId: 'ap-1', reason: 'engagement ended', by: 'system', late: false }) }]);
      expect(when([booked, ...events], { type: 'CancelForEndedEngagement', data: { engagementId: 'e-1', now } })).toEqual([]);
      expect(when(state, { type: 'CancelForEndedEngagement', data: { engagementId: 'e-2', now } })).toEqual([]);
    });
  });

  describe('when the appointment was cancelled', () => {
    const state: CalendarEvent[] = [booked, { type: 'AppointmentCancelled', data: { appointmentId: 'ap-1', engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1', reason: 'r', by: 'client', late: false } }];

    it('frees its slot and cannot be moved, cancelled or kept', () => {
      expect(when(state, book([booking('ap-2', tuesday10.startsAt, tuesday10.endsAt)]))).toHaveLength(1);
      expect(() => when(state, { type: 'Cancel', data: { appointmentId: 'ap-1', reason: 'r', by: 'client', minimumNoticeHours: 24, now } })).toThrow(rule('APPOINTMENT.NOT_BOOKED'));
      expect(() => when(state, { type: 'MarkKept', data: { appointmentId: 'ap-1', by: 'client', now: '2026-03-10T10:05:00.000Z' } })).toThrow(rule('APPOINTMENT.NOT_BOOKED'));
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
      expect(when([], book(series))).toHaveLength(3);
      expect(() => when([booked], book(series))).toThrow(rule('APPOINTMENT.CONFLICT'));
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
  });
});
