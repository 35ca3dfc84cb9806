import type { AssistantRegisteredV1, EngagementStartedV1, SealedPersonalData, SealedText } from '@vaops/contracts';
import { defineDecider } from '@vaops/event-sourcing';
import { ResourceErrors } from '@vaops/platform';
import { committedHours, evolveAssistant, initialAssistantState, type AssistantEvent, type AssistantState } from './assistant';
import { AssistantErrors } from './assistant.errors';
import { EngagementErrors } from '../engagement/engagement.errors';
import { PeopleErrors } from '../people/people.errors';
import type { ErasePerson } from '../people/personal-data';

/** An assistant to register: name and email sealed under their key by the route (the decider holds no keys). */
export type AssistantRegistration = Omit<AssistantRegisteredV1, 'name' | 'email'> & { name: SealedPersonalData; email: SealedPersonalData };

export type AssistantCommand =
  | { type: 'RegisterAssistant'; data: AssistantRegistration }
  | { type: 'ReserveCommitment'; data: { start: EngagementStartedV1; capacityOverrideReason: SealedText | null } }
  | { type: 'ReleaseCommitment'; data: { engagementId: string } }
  | ErasePerson;

const HOURS_IN_WEEK = 168;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const assistantDecider = defineDecider<AssistantCommand, AssistantEvent, AssistantState>({
  initialState: initialAssistantState,
  evolve: evolveAssistant,
  decide: {
    RegisterAssistant(command, state) {
      const d = command.data;
      // the id is the request's own (seeded by its Idempotency-Key): it exists only if this request was decided before
      if (state.status !== 'none') return [];
      if (d.weeklyCapacityHours <= 0 || d.weeklyCapacityHours > HOURS_IN_WEEK) {
        throw AssistantErrors.capacityOutOfRange(`weeklyCapacityHours must be within 1..${HOURS_IN_WEEK}`, { field: 'weeklyCapacityHours' });
      }
      // published in whole minutes (AssistantRegistered v2), so the hours must be whole minutes: 37.5 yes, 37.33 no
      if (Math.abs(d.weeklyCapacityHours * 60 - Math.round(d.weeklyCapacityHours * 60)) > 1e-6) {
        throw AssistantErrors.capacityOutOfRange('weeklyCapacityHours must be a whole number of minutes (e.g. 37.5)', { field: 'weeklyCapacityHours' });
      }
      for (const w of d.workingHours) {
        if (minutes(w.end) <= minutes(w.start)) {
          throw AssistantErrors.workingHoursInvalid(`working hours on day ${w.day} end before they start`, { field: 'workingHours' });
        }
      }
      return [{ type: 'AssistantRegistered', data: { ...d } }];
    },
    ReserveCommitment(command, state) {
      if (state.status !== 'registered') throw ResourceErrors.assistantNotFound('assistant not found');
      const { start, capacityOverrideReason } = command.data;
      if (state.commitments[start.engagementId]) return []; // already reserved: a retry
      const held = Object.values(state.commitments);
      if (held.some((c) => c.kind === 'full-time')) {
        throw AssistantErrors.fullTimeEngaged('the assistant holds a full-time engagement and takes no other');
      }
      if (start.kind === 'full-time' && held.length > 0) {
        throw EngagementErrors.fullTimeNotExclusive(`a full-time engagement needs an assistant without other engagements (they hold ${held.length})`);
      }
      const after = committedHours(state) + start.weeklyHours;
      if (after > state.weeklyCapacityHours && !capacityOverrideReason) {
        throw AssistantErrors.capacityExceeded(
          `committing ${start.weeklyHours} h would bring the assistant to ${after} h a week, over their capacity of ${state.weeklyCapacityHours} h`,
          { committedWeeklyHours: committedHours(state), weeklyCapacityHours: state.weeklyCapacityHours },
        );
      }
      return [
        {
          type: 'AssistantCommitmentReserved',
          data: {
            assistantId: state.assistantId,
            engagementId: start.engagementId,
            clientId: start.clientId,
            kind: start.kind,
            weeklyHours: start.weeklyHours,
            capacityOverride: after > state.weeklyCapacityHours ? { reason: capacityOverrideReason! } : null,
            start,
          },
        },
      ];
    },
    ReleaseCommitment(command, state) {
      if (state.status !== 'registered' || !state.commitments[command.data.engagementId]) return [];
      return [{ type: 'AssistantCommitmentReleased', data: { assistantId: state.assistantId, engagementId: command.data.engagementId } }];
    },
    ErasePerson(command, state) {
      // their engagements, hours and pay stay: only what identifies them goes (with their key)
      if (state.status !== 'registered') throw PeopleErrors.notFound('no such assistant');
      if (state.erasedAt !== null) throw PeopleErrors.alreadyErased(`assistant ${state.assistantId} was erased at ${state.erasedAt}`);
      return [{ type: 'PersonErased', data: { personId: state.assistantId, kind: 'assistant', erasedAt: command.data.erasedAt } }];
    },
  },
});
