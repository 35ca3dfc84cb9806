import type { CommunicationChannel, EngagementStartedV1, Party, Phase, PlanV1, StoredPersonalData } from '@vaops/contracts';
import { defineDecider } from '@vaops/event-sourcing';
import { ResourceErrors } from '@vaops/platform';
import { addDays, localDate, workingDaysBetween } from '../shared/time';
import { evolveEngagement, initialEngagementState, type EngagementEvent, type EngagementFacts, type EngagementState } from './engagement';
import { EngagementErrors, HandoverErrors } from './engagement.errors';

export type EngagementCommand =
  | { type: 'StartEngagement'; data: EngagementStartedV1 & { clientCurrency: string } }
  | { type: 'ChangePhase'; data: { to: Phase; reason: StoredPersonalData; decidedBy: { sub: string; role: string }; now: string } }
  | { type: 'ChangePlan'; data: { plan: PlanV1; effectiveOn: string; clientCurrency: string; today: string } }
  | { type: 'GiveNotice'; data: { by: Party; reason: StoredPersonalData; now: string; today: string } }
  | { type: 'RecordBreach'; data: { by: Party; reason: StoredPersonalData; today: string } }
  | { type: 'EndAfterNotice'; data: { today: string } }
  | { type: 'LogCommunication'; data: { channel: CommunicationChannel; occurredAt: string; summary: StoredPersonalData; now: string } }
  | { type: 'SetReviewCadence'; data: { everyDays: number } }
  /** `otherActivityAt`: the latest sign of life other services reported (a kept appointment). */
  | { type: 'FlagSilence'; data: { now: string; zone: string; silenceWorkingDays: number; otherActivityAt?: string | null } }
  /** On the outgoing engagement: hands it over to `replacementAssistantId` from `handoverOn` (today: the agency's). */
  | { type: 'PlanHandover'; data: { newEngagementId: string; replacementAssistantId: string; handoverOn: string; startingPhase: Phase | null; today: string; now: string } }
  /** On the outgoing engagement: the standing handover is withdrawn before its day. */
  | { type: 'CancelHandover'; data: { by: 'agency' | 'assistant'; reason: StoredPersonalData; today: string; now: string } }
  /** On the replacement engagement of a cancelled handover: it ends on its first day, never having started. */
  | { type: 'WithdrawBeforeStart'; data: { reason: StoredPersonalData; today: string } };

type Started = Extract<EngagementState, { status: 'active' | 'in-notice' | 'ended' }>;

const ended = (id: string) => EngagementErrors.ended(`engagement ${id} has ended`);

function planCurrencies(plan: PlanV1): string[] {
  return plan.type === 'hourly' ? [plan.rate.currency] : [plan.monthlyFee.currency, plan.overageRate.currency];
}

function checkPlan(plan: PlanV1, clientCurrency: string): void {
  const wrong = planCurrencies(plan).find((c) => c !== clientCurrency);
  if (wrong) {
    throw EngagementErrors.currencyMismatch(`the plan is in ${wrong} but the client is billed in ${clientCurrency}`, { field: 'plan' });
  }
}

function started(state: EngagementState): Started {
  if (state.status === 'none') throw ResourceErrors.engagementNotFound('engagement not found');
  return state;
}

const skippedBetween = (from: Phase | null, to: Phase): Phase[] =>
  from === null || to <= from ? [] : ([1, 2, 3] as Phase[]).filter((p) => p > from && p < to);

export const engagementDecider = defineDecider<EngagementCommand, EngagementEvent, EngagementState>({
  initialState: initialEngagementState,
  evolve: evolveEngagement,
  decide: {
    StartEngagement(command, state) {
      const { clientCurrency, ...data } = command.data;
      if (state.status !== 'none') {
        // A roll-forward of a creation that already went through is not an error.
        if (state.engagementId === data.engagementId) return [];
        throw EngagementErrors.alreadyExists('engagement already exists');
      }
      checkPlan(data.plan, clientCurrency);
      return [{ type: 'EngagementStarted', data }];
    },
    ChangePhase(command, state) {
      const s = started(state);
      if (s.status === 'ended') throw ended(s.engagementId);
      const { to, reason, decidedBy, now } = command.data;
      if (s.phase === to) throw EngagementErrors.phaseUnchanged(`the engagement is already in phase ${to}`);
      return [{ type: 'EngagementPhaseChanged', data: { engagementId: s.engagementId, from: s.phase, to, skipped: skippedBetween(s.phase, to), reason, decidedBy, effectiveAt: now } }];
    },
    ChangePlan(command, state) {
      const s = started(state);
      if (s.status === 'ended') throw ended(s.engagementId);
      const { plan, effectiveOn, clientCurrency, today } = command.data;
      checkPlan(plan, clientCurrency);
      if (effectiveOn < today || effectiveOn < s.startsOn) {
        throw EngagementErrors.planRetroactive(`a plan change takes effect on or after ${today > s.startsOn ? today : s.startsOn}; the past is not rewritten`, { field: 'effectiveOn' });
      }
      return [{ type: 'EngagementPlanChanged', data: { engagementId: s.engagementId, plan, effectiveOn } }];
    },
    GiveNotice(command, state) {
      const s = started(state);
      if (s.status === 'ended') throw ended(s.engagementId);
      if (s.status === 'in-notice') throw EngagementErrors.alreadyInNotice(`notice was already given; the engagement ends on ${s.notice?.endsOn}`);
      const { by, reason, now, today } = command.data;
      const from = today > s.startsOn ? today : s.startsOn;
      return [{ type: 'EngagementNoticeGiven', data: { engagementId: s.engagementId, by, reason, givenAt: now, endsOn: addDays(from, s.noticePeriodDays) } }];
    },
    RecordBreach(command, state) {
      const s = started(state);
      if (s.status === 'ended') throw ended(s.engagementId);
      const { by, reason, today } = command.data;
      return [{ type: 'EngagementEnded', data: { engagementId: s.engagementId, endedBy: 'breach', endedOn: today, breachBy: by, reason } }];
    },
    EndAfterNotice(command, state) {
      const s = started(state);
      if (s.status === 'ended') return []; // the scheduler may ask twice
      if (s.status === 'active' || !s.notice) {
        throw EngagementErrors.noticeRequired('an engagement ends only after notice has run its period, or as a recorded breach');
      }
      if (command.data.today < s.notice.endsOn) {
        throw EngagementErrors.noticeRunning(`the notice period runs until ${s.notice.endsOn}`);
      }
      return [{ type: 'EngagementEnded', data: { engagementId: s.engagementId, endedBy: 'notice', endedOn: s.notice.endsOn, breachBy: null, reason: null } }];
    },
    LogCommunication(command, state) {
      const s = started(state);
      if (s.status === 'ended') throw ended(s.engagementId);
      const { channel, occurredAt, summary, now } = command.data;
      if (Date.parse(occurredAt) > Date.parse(now) + 5 * 60_000) {
        throw EngagementErrors.communicationInFuture('occurredAt is in the future', { field: 'occurredAt' });
      }
      return [{ type: 'CommunicationLogged', data: { engagementId: s.engagementId, channel, occurredAt, summary } }];
    },
    SetReviewCadence(command, state) {
      const s = started(state);
      if (s.status === 'ended') throw ended(s.engagementId);
      return [{ type: 'ReviewCadenceSet', data: { engagementId: s.engagementId, everyDays: command.data.everyDays } }];
    },
    FlagSilence(command, state) {
      if (state.status !== 'active' && state.status !== 'in-notice') return [];
      const { now, zone, silenceWorkingDays, otherActivityAt } = command.data;
      if (localDate(now, zone) <= state.startsOn) return [];
      const lastActivityAt = otherActivityAt && Date.parse(otherActivityAt) > Date.parse(state.lastActivityAt) ? otherActivityAt : state.lastActivityAt;
      if (state.silenceFlaggedFor === lastActivityAt) return []; // this silence was reported
      const days = workingDaysBetween(lastActivityAt, now, zone);
      if (days < silenceWorkingDays) return [];
      return [
        {
          type: 'EngagementWentSilent',
          data: { engagementId: state.engagementId, clientId: state.clientId, assistantId: state.assistantId, lastActivityAt, silentWorkingDays: days, detectedAt: now },
        },
      ];
    },
    PlanHandover(command, state) {
      const s = started(state);
      const { newEngagementId, replacementAssistantId, handoverOn, startingPhase, today, now } = command.data;
      if (s.handover?.newEngagementId === newEngagementId) return []; // a retried request
      if (s.status === 'ended') throw ended(s.engagementId);
      if (s.status !== 'in-notice' || !s.notice) throw HandoverErrors.notInNotice('only an engagement in notice is handed over; give notice first');
      if (s.handover?.status === 'planned') throw HandoverErrors.alreadyPlanned(`a handover to assistant ${s.handover.replacementAssistantId} on ${s.handover.handoverOn} stands`);
      if (replacementAssistantId === s.assistantId) throw HandoverErrors.sameAssistant('the replacement is the outgoing assistant', { field: 'replacementAssistantId' });
      const first = today > s.startsOn ? today : s.startsOn;
      if (handoverOn < first || handoverOn >= s.notice.endsOn) {
        throw HandoverErrors.dateOutsideNotice(`handoverOn must lie from ${first} to the day before ${s.notice.endsOn}, when the engagement ends`, { field: 'handoverOn' });
      }
      if (startingPhase !== null && s.phase !== null && startingPhase > s.phase) {
        throw HandoverErrors.phaseAboveCurrent(`the engagement is in phase ${s.phase}: the replacement starts there or lower`, { field: 'startingPhase' });
      }
      return [
        {
          type: 'HandoverPlanned',
          data: {
            engagementId: s.engagementId,
            newEngagementId,
            clientId: s.clientId,
            outgoingAssistantId: s.assistantId,
            replacementAssistantId,
            handoverOn,
            startingPhase,
            endsOn: s.notice.endsOn,
            plannedAt: now,
          },
        },
      ];
    },
    CancelHandover(command, state) {
      const s = started(state);
      const h = s.handover;
      if (!h) throw HandoverErrors.notPlanned('no handover of this engagement stands');
      if (h.status === 'cancelled') return []; // a retried withdrawal finishes what it started
      const { by, reason, today, now } = command.data;
      if (today >= h.handoverOn) throw HandoverErrors.alreadyStarted(`the handover took effect on ${h.handoverOn}; the replacement gives notice instead`);
      return [{ type: 'HandoverCancelled', data: { engagementId: s.engagementId, newEngagementId: h.newEngagementId, by, reason, cancelledAt: now } }];
    },
    WithdrawBeforeStart(command, state) {
      const s = started(state);
      if (s.status === 'ended') return []; // a retry
      if (command.data.today >= s.startsOn) throw HandoverErrors.alreadyStarted(`the engagement started on ${s.startsOn}; it ends after notice`);
      return [
        {
          type: 'EngagementEnded',
          data: { engagementId: s.engagementId, endedBy: 'notice', endedOn: s.startsOn, breachBy: null, reason: command.data.reason, cancelledBeforeStart: true },
        },
      ];
    },
  },
});

export type { EngagementFacts };
