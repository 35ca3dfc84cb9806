import type { AppointmentActor, SealedText, WorkingHoursV1 } from '@vaops/contracts';
import { ConcurrencyConflictError, defineDecider, DomainError } from '@vaops/event-sourcing';
import type { EngagementFacts as KitEngagementFacts } from '@vaops/facts';
import { localDate, withinWorkingHours } from '../shared/time';
import { evolveCalendar, initialCalendarState, type Appointment, type AppointmentToBook, type CalendarEvent, type CalendarState } from './calendar';
import { CalendarErrors } from './calendar.errors';

/**
 * What the scheduling service knows of an engagement (the facts kit's, from the clients service's
 * events): its parties, status, start and the day it ends (notice run out, or ended), before which
 * appointments must be.
 */
export type EngagementFacts = Omit<KitEngagementFacts<'status' | 'startsOn' | 'endsOn'>, 'agencyId'>;

/** The rules a slot is checked against, gathered by the caller from read models. */
export interface SlotPolicy {
  bufferMinutes: number;
  /** Engagement dates are read in the agency's zone. */
  agencyZone: string;
  assistantZone: string;
  workingHours: WorkingHoursV1[];
  allowOutsideWorkingHours: boolean;
}

/**
 * Titles and reasons arrive sealed under the engagement's key (`SealedText`): the decider never
 * reads them, and neither the calendar stream nor the topic ever holds them in plaintext.
 */
export type CalendarCommand =
  | { type: 'Book'; data: { appointments: AppointmentToBook[]; engagement: EngagementFacts; policy: SlotPolicy; now: string } }
  | {
      type: 'Reschedule';
      data: { appointmentId: string; startsAt: string; endsAt: string; reason: SealedText; by: AppointmentActor; engagement: EngagementFacts; policy: SlotPolicy; minimumNoticeHours: number; now: string; expectedVersion?: number };
    }
  | { type: 'Cancel'; data: { appointmentId: string; reason: SealedText; by: AppointmentActor; minimumNoticeHours: number; now: string; expectedVersion?: number } }
  | { type: 'MarkKept'; data: { appointmentId: string; by: AppointmentActor; now: string; expectedVersion?: number } }
  | { type: 'MarkNoShows'; data: { now: string } }
  /** `reason`: "engagement ended", sealed under that engagement's key. */
  | { type: 'CancelForEndedEngagement'; data: { engagementId: string; reason: SealedText; now: string } }
  /**
   * A handover (or its undoing) books copies of another calendar's appointments here: each copy that
   * passes every rule of a booking is booked, the others are left out (the caller lists them as
   * conflicts). Copies already booked (a redelivery) are skipped.
   */
  | { type: 'TakeOver'; data: { appointments: AppointmentToBook[]; engagement: EngagementFacts; policy: SlotPolicy; now: string } }
  /** The handover meeting on the replacement's calendar: before their engagement starts, so only time, hours and overlaps are checked. */
  | { type: 'BookHandoverMeeting'; data: { appointment: AppointmentToBook; policy: SlotPolicy; now: string } }
  /**
   * Cancels, as the system, those of these appointments still booked and in the future (moved away, or
   * a handover undone). They are all of one engagement, whose key seals `reason`.
   */
  | { type: 'ReleaseForHandover'; data: { appointmentIds: string[]; reason: SealedText; now: string } };

const ms = (iso: string) => Date.parse(iso);

/** The other side's appointment is never described: no id, no client, no title. */
const conflict = () => CalendarErrors.conflict('the assistant is not available at that time');

function appointment(state: CalendarState, id: string): Appointment {
  const a = state.appointments[id];
  if (!a) throw CalendarErrors.notFound(`appointment ${id} not found`);
  return a;
}

function booked(a: Appointment, expectedVersion?: number): Appointment {
  // If-Match names the appointment's own version, not the calendar stream's
  if (expectedVersion !== undefined && expectedVersion !== a.version) throw new ConcurrencyConflictError(a.appointmentId, expectedVersion, a.version);
  if (a.status !== 'booked') throw CalendarErrors.notBooked(`the appointment is ${a.status}`);
  return a;
}

/** Within the minimum notice before the start, a change is allowed but late. */
const isLate = (startsAt: string, now: string, minimumNoticeHours: number) => ms(now) > ms(startsAt) - minimumNoticeHours * 3_600_000;

/** Every rule a slot must pass; `others` are the appointments it must not overlap (buffer included). */
function checkSlot(slot: { startsAt: string; endsAt: string }, others: Appointment[], engagement: EngagementFacts, policy: SlotPolicy, now: string): void {
  if (ms(slot.endsAt) <= ms(slot.startsAt)) throw CalendarErrors.endsBeforeStart('endsAt must be after startsAt', { field: 'endsAt' });
  if (ms(slot.startsAt) <= ms(now)) throw CalendarErrors.inPast('an appointment is booked for the future');
  if (engagement.status === 'ended') throw CalendarErrors.engagementNotActive('the engagement has ended');
  const day = localDate(slot.startsAt, policy.agencyZone);
  if (day < engagement.startsOn || (engagement.endsOn !== null && day >= engagement.endsOn)) {
    throw CalendarErrors.outsideEngagement(`appointments fall on or after ${engagement.startsOn}${engagement.endsOn ? ` and before ${engagement.endsOn}, when the engagement ends` : ''}`);
  }
  if (!policy.allowOutsideWorkingHours && !withinWorkingHours(slot.startsAt, slot.endsAt, policy.assistantZone, policy.workingHours)) {
    throw CalendarErrors.outsideWorkingHours("the slot is outside the assistant's working hours");
  }
  const buffer = policy.bufferMinutes * 60_000;
  const s = ms(slot.startsAt);
  const e = ms(slot.endsAt);
  if (others.some((o) => o.status !== 'cancelled' && s < ms(o.endsAt) + buffer && ms(o.startsAt) < e + buffer)) throw conflict();
}

/** Why a slot would be refused (its error code), or null when it passes. */
export function slotRefusal(slot: { startsAt: string; endsAt: string }, others: Appointment[], engagement: EngagementFacts | null, policy: SlotPolicy, now: string): string | null {
  // no engagement window to check: one that runs from the slot's day on
  const window = engagement ?? { engagementId: '', clientId: '', assistantId: '', status: 'active' as const, startsOn: localDate(slot.startsAt, policy.agencyZone), endsOn: null };
  try {
    checkSlot(slot, others, window, policy, now);
    return null;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

export const calendarDecider = defineDecider<CalendarCommand, CalendarEvent, CalendarState>({
  initialState: initialCalendarState,
  evolve: evolveCalendar,
  decide: {
    Book(command, state) {
      const { appointments, engagement, policy, now } = command.data;
      // Idempotent for a retried request whose ids were already booked.
      if (appointments.every((a) => state.appointments[a.appointmentId])) return [];
      const taken = Object.values(state.appointments);
      const events: CalendarEvent[] = [];
      for (const a of appointments) {
        checkSlot(a, taken, engagement, policy, now);
        // occurrences of one series must not overlap each other either
        taken.push({ ...a, status: 'booked', late: false, version: 1 });
        events.push({ type: 'AppointmentBooked', data: { ...a } });
      }
      return events;
    },
    Reschedule(command, state) {
      const { appointmentId, startsAt, endsAt, reason, by, engagement, policy, minimumNoticeHours, now, expectedVersion } = command.data;
      const a = booked(appointment(state, appointmentId), expectedVersion);
      if (ms(a.startsAt) <= ms(now)) throw CalendarErrors.alreadyStarted('an appointment that has started cannot be moved');
      checkSlot({ startsAt, endsAt }, Object.values(state.appointments).filter((o) => o.appointmentId !== appointmentId), engagement, policy, now);
      const { engagementId, assistantId, clientId } = a;
      return [
        {
          type: 'AppointmentRescheduled',
          data: { appointmentId, engagementId, assistantId, clientId, previousStartsAt: a.startsAt, previousEndsAt: a.endsAt, startsAt, endsAt, reason, by, late: isLate(a.startsAt, now, minimumNoticeHours) },
        },
      ];
    },
    Cancel(command, state) {
      const { appointmentId, reason, by, minimumNoticeHours, now, expectedVersion } = command.data;
      const a = booked(appointment(state, appointmentId), expectedVersion);
      if (ms(a.startsAt) <= ms(now)) throw CalendarErrors.alreadyStarted('an appointment that has started cannot be cancelled');
      const { engagementId, assistantId, clientId } = a;
      return [{ type: 'AppointmentCancelled', data: { appointmentId, engagementId, assistantId, clientId, reason, by, late: isLate(a.startsAt, now, minimumNoticeHours) } }];
    },
    MarkKept(command, state) {
      const { appointmentId, by, now, expectedVersion } = command.data;
      const a = appointment(state, appointmentId);
      if (expectedVersion !== undefined && expectedVersion !== a.version) throw new ConcurrencyConflictError(appointmentId, expectedVersion, a.version);
      if (a.status === 'kept') return [];
      booked(a);
      if (ms(a.startsAt) > ms(now)) throw CalendarErrors.notStarted('an appointment is kept once it has started');
      const { engagementId, assistantId, clientId } = a;
      return [{ type: 'AppointmentKept', data: { appointmentId, engagementId, assistantId, clientId, by } }];
    },
    MarkNoShows(command, state) {
      const now = ms(command.data.now);
      return Object.values(state.appointments)
        .filter((a) => a.status === 'booked' && ms(a.endsAt) <= now)
        .map(({ appointmentId, engagementId, assistantId, clientId, endsAt }) => ({ type: 'AppointmentNoShow' as const, data: { appointmentId, engagementId, assistantId, clientId, endsAt } }));
    },
    CancelForEndedEngagement(command, state) {
      const { engagementId, reason, now } = command.data;
      return Object.values(state.appointments)
        .filter((a) => a.engagementId === engagementId && a.status === 'booked' && ms(a.startsAt) > ms(now))
        .map(({ appointmentId, assistantId, clientId }) => ({
          type: 'AppointmentCancelled' as const,
          data: { appointmentId, engagementId, assistantId, clientId, reason, by: 'system' as const, late: false },
        }));
    },
    TakeOver(command, state) {
      const { appointments, engagement, policy, now } = command.data;
      const taken = Object.values(state.appointments);
      const events: CalendarEvent[] = [];
      for (const a of appointments) {
        if (state.appointments[a.appointmentId]) continue;
        if (slotRefusal(a, taken, engagement, policy, now) !== null) continue;
        taken.push({ ...a, status: 'booked', late: false, version: 1 });
        events.push({ type: 'AppointmentBooked', data: { ...a } });
      }
      return events;
    },
    BookHandoverMeeting(command, state) {
      const { appointment: a, policy, now } = command.data;
      if (state.appointments[a.appointmentId]) return [];
      checkSlot(a, Object.values(state.appointments), { engagementId: a.engagementId, clientId: a.clientId, assistantId: a.assistantId, status: 'active', startsOn: localDate(a.startsAt, policy.agencyZone), endsOn: null }, policy, now);
      return [{ type: 'AppointmentBooked', data: { ...a } }];
    },
    ReleaseForHandover(command, state) {
      const { appointmentIds, reason, now } = command.data;
      return appointmentIds
        .map((id) => state.appointments[id])
        .filter((a): a is Appointment => !!a && a.status === 'booked' && ms(a.startsAt) > ms(now))
        .map(({ appointmentId, engagementId, assistantId, clientId }) => ({
          type: 'AppointmentCancelled' as const,
          data: { appointmentId, engagementId, assistantId, clientId, reason, by: 'system' as const, late: false },
        }));
    },
  },
});
