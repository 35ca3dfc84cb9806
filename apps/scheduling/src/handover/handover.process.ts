import { Controller, Inject } from '@nestjs/common';
import { Topics, type PersonalData, type HandoverConflictV1, type HandoverMeetingV1, type HandoverMoveV1, type HandoverRestoreV1, type PublicEvent } from '@vaops/contracts';
import { DomainError, seededId, type Clock } from '@vaops/event-sourcing';
import { CLOCK, PersonKeys, ProjectionHandler, type EngagementParties, type ProjectionSpec, type SystemActor } from '@vaops/platform';
import { isRecordingPass, type ReadModelStore } from '@vaops/projections';
import { person } from '../calendar/booking-context';
import type { Appointment, AppointmentToBook } from '../calendar/calendar';
import { slotRefusal, type EngagementFacts, type SlotPolicy } from '../calendar/calendar.decider';
import { AppointmentIndex } from '../calendar/appointment-index';
import { Appointments } from '../calendar/appointments/appointments.projection';
import { Calendars } from '../calendar/calendars';
import { CalendarErrors } from '../calendar/calendar.errors';
import { SchedulingFacts, type PersonDoc } from '../facts/clients-facts.projection';
import { resealText } from '../shared/personal-text';
import { localDate } from '../shared/time';
import { Handovers } from './handovers';
import { meetingSlot } from './meeting-slot';

/** A process manager, not a read model: its consumer group and checkpoints only (no collection, never rebuilt). */
export const handoverProcessSpec: ProjectionSpec = { name: 'scheduling.handover-process', topics: [Topics.clients], collections: {} };

const ms = (iso: string) => Date.parse(iso);

/**
 * The scheduling service's reaction to a handover (HandoverPlanned, HandoverCancelled from the clients
 * service). It executes commands on the assistants' calendars, each decided at the calendar's version
 * (the calendar decider refuses overlaps), and records the outcome on the handover's stream. Redelivery
 * is harmless: the recorded outcome stops a second run, and a run that died half-way is done again with
 * the same ids (seeded from the handover and the appointment), which the calendars skip when booked.
 */
/** The engagement handed over and the replacement's, each with its two parties (whose erasure ends its key). */
const partiesOf = (h: { engagementId: string; newEngagementId: string; clientId: string; outgoingAssistantId: string; replacementAssistantId: string }): { outgoing: EngagementParties; replacement: EngagementParties } => ({
  outgoing: { engagementId: h.engagementId, clientId: h.clientId, assistantId: h.outgoingAssistantId },
  replacement: { engagementId: h.newEngagementId, clientId: h.clientId, assistantId: h.replacementAssistantId },
});

@Controller()
export class HandoverProcess {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly calendars: Calendars,
    private readonly handovers: Handovers,
    private readonly facts: SchedulingFacts,
    private readonly appointments: Appointments,
    private readonly index: AppointmentIndex,
    private readonly keys: PersonKeys,
  ) {}

  /**
   * An appointment booked again on another engagement's calendar (a handover's copy, or a copy going
   * back): same slot, kind and series; its title sealed again under the engagement it goes to, so each
   * calendar depends on its own parties only.
   */
  private async copyTo(
    to: EngagementParties,
    appointmentId: string,
    slot: { kind: AppointmentToBook['kind']; startsAt: string; endsAt: string },
    doc: { title?: PersonalData | string | null; recurrence?: AppointmentToBook['recurrence'] } | undefined,
  ): Promise<AppointmentToBook> {
    const { engagementId, assistantId, clientId } = to;
    const title = await resealText(this.keys, doc?.title, to);
    return { appointmentId, engagementId, assistantId, clientId, kind: slot.kind, startsAt: slot.startsAt, endsAt: slot.endsAt, title, bookedBy: 'system', recurrence: doc?.recurrence ?? null };
  }

  private actor(agencyId: string): SystemActor {
    return { sub: 'system:handover-process', agencyId, role: 'system' };
  }

  private async policies(agencyId: string, ...assistantIds: string[]): Promise<{ zone: string; policy: (a: PersonDoc) => SlotPolicy; people: PersonDoc[] }> {
    const [agency, ...people] = await Promise.all([this.facts.agencyPolicies(agencyId), ...assistantIds.map((id) => person(this.facts, 'assistant', id))]);
    const policy = (a: PersonDoc): SlotPolicy => ({ bufferMinutes: agency.bufferMinutes, agencyZone: agency.timezone, assistantZone: a.timezone, workingHours: a.workingHours ?? [], allowOutsideWorkingHours: false });
    return { zone: agency.timezone, policy, people };
  }

  /** The outgoing engagement as scheduling knows it (in notice), or as the plan describes it. */
  private async outgoingEngagement(e: PublicEvent<'HandoverPlanned'>['data'] | { engagementId: string; clientId: string; outgoingAssistantId: string; endsOn: string }): Promise<EngagementFacts> {
    const doc = await this.facts.engagement(e.engagementId);
    return { engagementId: e.engagementId, clientId: e.clientId, assistantId: e.outgoingAssistantId, status: doc?.status === 'ended' ? 'ended' : 'in-notice', startsOn: doc?.startsOn ?? '0000-01-01', endsOn: e.endsOn };
  }

  @ProjectionHandler(handoverProcessSpec, 'HandoverPlanned')
  async onHandoverPlanned(e: PublicEvent<'HandoverPlanned'>, store: ReadModelStore): Promise<void> {
    if (isRecordingPass(store)) return;
    const d = e.data;
    const agencyId = e.metadata.agencyId;
    const actor = this.actor(agencyId);
    const done = await this.handovers.load(d.newEngagementId, agencyId);
    if (done && done.state.status !== 'none') return;
    const now = this.clock.now().toISOString();
    const seedAt = ms(d.plannedAt);
    const copyId = (appointmentId: string) => seededId(`handover:${d.newEngagementId}:${appointmentId}`, seedAt, 0);
    const { zone, policy, people } = await this.policies(agencyId, d.outgoingAssistantId, d.replacementAssistantId);
    const [outgoingPolicy, replacementPolicy] = people.map(policy);

    // the outgoing assistant's appointments of the engagement from handoverOn on (each occurrence of a
    // series is an appointment of its own); on a second run, those already moved are found by their copy
    const outgoing = (await this.calendars.load(d.outgoingAssistantId, agencyId))?.state.appointments ?? {};
    const before = (await this.calendars.load(d.replacementAssistantId, agencyId))?.state.appointments ?? {};
    const docs = new Map((await this.appointments.ofEngagement(d.engagementId)).map((a) => [a._id, a]));
    const { outgoing: outgoingParties, replacement: replacementParties } = partiesOf(d);
    const candidates = Object.values(outgoing)
      .filter((a) => a.engagementId === d.engagementId && localDate(a.startsAt, zone) >= d.handoverOn && ms(a.startsAt) > ms(now))
      .filter((a) => a.status === 'booked' || (a.status === 'cancelled' && before[copyId(a.appointmentId)]))
      .sort((a, b) => ms(a.startsAt) - ms(b.startsAt));
    // a copy's title is the replacement engagement's own: decrypted and encrypted again under its key (the client and the
    // replacement), so erasing the outgoing assistant leaves the replacement's calendar readable
    const copies: AppointmentToBook[] = await Promise.all(candidates.map((a) => this.copyTo(replacementParties, copyId(a.appointmentId), a, docs.get(a.appointmentId))));
    const replacementEngagement: EngagementFacts = { engagementId: d.newEngagementId, clientId: d.clientId, assistantId: d.replacementAssistantId, status: 'active', startsOn: d.handoverOn, endsOn: null };
    await this.index.record(copies.map((c) => c.appointmentId), d.replacementAssistantId, agencyId);
    const took = await this.calendars.execute(d.replacementAssistantId, { type: 'TakeOver', data: { appointments: copies, engagement: replacementEngagement, policy: replacementPolicy, now } }, actor);
    const moved: HandoverMoveV1[] = [];
    const conflicts: HandoverConflictV1[] = [];
    candidates.forEach((a, i) => {
      const copy = copies[i];
      const seriesId = copy.recurrence?.seriesId ?? null;
      if (took.state.appointments[copy.appointmentId]) {
        moved.push({ appointmentId: a.appointmentId, newAppointmentId: copy.appointmentId, kind: a.kind, startsAt: a.startsAt, endsAt: a.endsAt, seriesId });
      } else {
        const reason = slotRefusal(copy, Object.values(took.state.appointments), replacementEngagement, replacementPolicy, now) ?? CalendarErrors.conflict.code;
        conflicts.push({ appointmentId: a.appointmentId, kind: a.kind, startsAt: a.startsAt, endsAt: a.endsAt, seriesId, reason });
      }
    });

    const meeting = await this.bookMeeting(d, agencyId, now, zone, outgoingPolicy, replacementPolicy, Object.values(outgoing), Object.values(took.state.appointments));
    const handedOver = await this.keys.sealEngagementText(outgoingParties, 'handed over to the replacement assistant');
    await this.calendars.execute(d.outgoingAssistantId, { type: 'ReleaseForHandover', data: { appointmentIds: moved.map((m) => m.appointmentId), reason: handedOver, now } }, actor);
    const { engagementId, newEngagementId, clientId, outgoingAssistantId, replacementAssistantId, handoverOn } = d;
    await this.handovers.execute(newEngagementId, { type: 'RecordSchedule', data: { engagementId, newEngagementId, clientId, outgoingAssistantId, replacementAssistantId, handoverOn, moved, conflicts, meeting } }, actor);
  }

  /**
   * The handover meeting, one appointment on each calendar at the slot `meetingSlot` finds: booked on
   * the replacement's first, then on the outgoing assistant's (their engagement's); if the second is
   * refused (a booking won the race), the first is released and the meeting is left out.
   */
  private async bookMeeting(
    d: PublicEvent<'HandoverPlanned'>['data'],
    agencyId: string,
    now: string,
    zone: string,
    outgoingPolicy: SlotPolicy,
    replacementPolicy: SlotPolicy,
    outgoing: Appointment[],
    replacement: Appointment[],
  ): Promise<HandoverMeetingV1 | null> {
    const actor = this.actor(agencyId);
    const seed = `handover-meeting:${d.newEngagementId}`;
    const ids = { outgoing: seededId(seed, ms(d.plannedAt), 0), replacement: seededId(seed, ms(d.plannedAt), 1) };
    const existing = replacement.find((a) => a.appointmentId === ids.replacement);
    const mine = (a: Appointment) => a.appointmentId !== ids.outgoing && a.appointmentId !== ids.replacement;
    const slot = existing
      ? { startsAt: existing.startsAt, endsAt: existing.endsAt }
      : meetingSlot({
          handoverOn: d.handoverOn,
          endsOn: d.endsOn,
          today: localDate(now, zone),
          now,
          outgoing: { policy: outgoingPolicy, appointments: outgoing.filter(mine) },
          replacement: { policy: replacementPolicy, appointments: replacement.filter(mine) },
        });
    if (!slot) return null;
    // one appointment on each engagement: its title under that engagement's key
    const { outgoing: outgoingParties, replacement: replacementParties } = partiesOf(d);
    const [replacementTitle, outgoingTitle] = await Promise.all([this.keys.sealEngagementText(replacementParties, 'Handover meeting'), this.keys.sealEngagementText(outgoingParties, 'Handover meeting')]);
    const base = { clientId: d.clientId, kind: 'video-conference' as const, ...slot, bookedBy: 'system' as const, recurrence: null };
    await this.index.record([ids.replacement], d.replacementAssistantId, agencyId);
    await this.index.record([ids.outgoing], d.outgoingAssistantId, agencyId);
    try {
      await this.calendars.execute(
        d.replacementAssistantId,
        { type: 'BookHandoverMeeting', data: { appointment: { ...base, appointmentId: ids.replacement, engagementId: d.newEngagementId, assistantId: d.replacementAssistantId, title: replacementTitle }, policy: replacementPolicy, now } },
        actor,
      );
    } catch (err) {
      if (err instanceof DomainError) return null; // the slot was taken meanwhile
      throw err;
    }
    try {
      const engagement = await this.outgoingEngagement(d);
      await this.calendars.execute(
        d.outgoingAssistantId,
        { type: 'Book', data: { appointments: [{ ...base, appointmentId: ids.outgoing, engagementId: d.engagementId, assistantId: d.outgoingAssistantId, title: outgoingTitle }], engagement, policy: outgoingPolicy, now } },
        actor,
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const reason = await this.keys.sealEngagementText(replacementParties, 'handover meeting not possible');
      await this.calendars.execute(d.replacementAssistantId, { type: 'ReleaseForHandover', data: { appointmentIds: [ids.replacement], reason, now } }, actor);
      return null;
    }
    return { ...slot, outgoingAppointmentId: ids.outgoing, replacementAppointmentId: ids.replacement };
  }

  /**
   * A withdrawn handover: the replacement's copies still booked and ahead, and the meeting, are
   * cancelled; each copy goes back to the outgoing assistant where their calendar allows (a new
   * appointment of the outgoing engagement), the rest are listed as unresolved.
   */
  @ProjectionHandler(handoverProcessSpec, 'HandoverCancelled')
  async onHandoverCancelled(e: PublicEvent<'HandoverCancelled'>, store: ReadModelStore): Promise<void> {
    if (isRecordingPass(store)) return;
    const d = e.data;
    const agencyId = e.metadata.agencyId;
    const actor = this.actor(agencyId);
    const current = (await this.handovers.load(d.newEngagementId, agencyId))?.state ?? { status: 'none' as const };
    if (current.status === 'unwound') return;
    const record = (restored: HandoverRestoreV1[], unresolved: HandoverConflictV1[], meetingCancelled: boolean) =>
      this.handovers.execute(d.newEngagementId, { type: 'RecordUnwind', data: { engagementId: d.engagementId, newEngagementId: d.newEngagementId, restored, unresolved, meetingCancelled } }, actor);
    if (current.status === 'none') {
      await record([], [], false); // nothing was moved yet: a late HandoverPlanned finds the handover undone
      return;
    }
    const h = current.scheduled;
    const now = this.clock.now().toISOString();
    const { outgoing: outgoingParties, replacement: replacementParties } = partiesOf(h);
    // "handover cancelled", under the key of the engagement each released appointment belongs to
    const reasonOn = (parties: EngagementParties) => this.keys.sealEngagementText(parties, 'handover cancelled');
    const copies = h.moved.map((m) => m.newAppointmentId);
    const released = await this.calendars.execute(
      h.replacementAssistantId,
      { type: 'ReleaseForHandover', data: { appointmentIds: [...copies, ...(h.meeting ? [h.meeting.replacementAppointmentId] : [])], reason: await reasonOn(replacementParties), now } },
      actor,
    );
    if (h.meeting) await this.calendars.execute(h.outgoingAssistantId, { type: 'ReleaseForHandover', data: { appointmentIds: [h.meeting.outgoingAppointmentId], reason: await reasonOn(outgoingParties), now } }, actor);

    const { policy, people } = await this.policies(agencyId, h.outgoingAssistantId);
    const outgoingPolicy = policy(people[0]);
    const engagement = await this.outgoingEngagement({ ...h, endsOn: (await this.facts.engagement(h.engagementId))?.endsOn ?? '9999-12-31' });
    // a restored appointment's title is the original's, encrypted again under the outgoing engagement's key (or erased with it)
    const docs = new Map((await this.appointments.ofEngagement(h.engagementId)).map((a) => [a._id, a]));
    const back = (m: HandoverMoveV1) => seededId(`handover-undone:${d.newEngagementId}:${m.newAppointmentId}`, ms(d.cancelledAt), 0);
    // a copy the replacement still held (now cancelled) and that lies ahead goes back
    const returning = h.moved.filter((m) => released.state.appointments[m.newAppointmentId]?.status === 'cancelled' && ms(m.startsAt) > ms(now));
    const rebook: AppointmentToBook[] = await Promise.all(returning.map((m) => this.copyTo(outgoingParties, back(m), m, docs.get(m.appointmentId))));
    await this.index.record(rebook.map((a) => a.appointmentId), h.outgoingAssistantId, agencyId);
    const took = await this.calendars.execute(h.outgoingAssistantId, { type: 'TakeOver', data: { appointments: rebook, engagement, policy: outgoingPolicy, now } }, actor);
    const restored: HandoverRestoreV1[] = [];
    const unresolved: HandoverConflictV1[] = [];
    for (const m of h.moved) {
      const i = returning.indexOf(m);
      if (i >= 0 && took.state.appointments[rebook[i].appointmentId]) {
        restored.push({ appointmentId: m.newAppointmentId, restoredAppointmentId: rebook[i].appointmentId, startsAt: m.startsAt, endsAt: m.endsAt });
      } else {
        const why = i >= 0 ? (slotRefusal(rebook[i], Object.values(took.state.appointments), engagement, outgoingPolicy, now) ?? CalendarErrors.conflict.code) : CalendarErrors.notBooked.code;
        unresolved.push({ appointmentId: m.newAppointmentId, kind: m.kind, startsAt: m.startsAt, endsAt: m.endsAt, seriesId: m.seriesId, reason: why });
      }
    }
    await record(restored, unresolved, h.meeting !== null);
  }
}
