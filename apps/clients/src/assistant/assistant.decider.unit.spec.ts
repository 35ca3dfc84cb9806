import type { SealedPersonalData } from '@vaops/contracts';
import { DomainError } from '@vaops/event-sourcing';
import { DeciderSpecification } from '@vaops/testing/decider';
import { assistantDecider, type AssistantCommand } from './assistant.decider';

const sealed = (ct: string) => ({ pii: 'v1' as const, person: 'a-1', iv: 'bm9uY2Utb2YtMTI=', ct });
const data = {
  assistantId: 'a-1',
  name: sealed('bmFtZQ=='),
  email: sealed('ZW1haWw='),
  timezone: 'Asia/Manila',
  weeklyCapacityHours: 30,
  skills: [] as string[],
  payRate: { amountMinor: 1200, currency: 'USD' },
  workingHours: [{ day: 1, start: '09:00', end: '17:00' }],
};
const register = (over: Partial<typeof data> = {}): AssistantCommand => ({ type: 'RegisterAssistant', data: { ...data, ...over } });
const given = DeciderSpecification.for(assistantDecider);

describe('assistant decider', () => {
  describe('when the assistant does not exist', () => {
    it('registers them', () => {
      given([]).when(register()).then([{ type: 'AssistantRegistered', data }]);
    });

    it.each([0, -5, 169])('refuses a weekly capacity of %p hours', (h) => {
      given([]).when(register({ weeklyCapacityHours: h })).thenThrows(DomainError, { code: 'ASSISTANT.CAPACITY_OUT_OF_RANGE', kind: 'invalid' });
    });

    it('takes capacity in whole minutes only (published in minutes since AssistantRegistered v2)', () => {
      given([]).when(register({ weeklyCapacityHours: 37.5 })).thenMatches([{ type: 'AssistantRegistered' }]);
      given([]).when(register({ weeklyCapacityHours: 37.3 })).thenMatches([{ type: 'AssistantRegistered' }]);
      given([])
        .when(register({ weeklyCapacityHours: 37.333 }))
        .thenThrows(DomainError, { code: 'ASSISTANT.CAPACITY_OUT_OF_RANGE', message: expect.stringContaining('whole number of minutes') });
    });

    it('refuses working hours that end before they start', () => {
      given([]).when(register({ workingHours: [{ day: 2, start: '17:00', end: '09:00' }] })).thenThrows(DomainError, 'ASSISTANT.WORKING_HOURS_INVALID');
    });
  });

  describe('when the assistant is registered', () => {
    it('registers nothing for a retried request (its id exists)', () => {
      given([{ type: 'AssistantRegistered', data }]).when(register()).thenNothingHappened();
    });
  });
});

describe('assistant commitments (capacity and exclusivity)', () => {
  const registered = { type: 'AssistantRegistered' as const, data };
  const start = (engagementId: string, kind: 'part-time' | 'full-time', weeklyHours: number) => ({
    engagementId,
    clientId: `client-of-${engagementId}`,
    assistantId: 'a-1',
    kind,
    weeklyHours,
    startsOn: '2026-03-02',
    noticePeriodDays: 14,
    phase: null,
    plan: { type: 'hourly' as const, rate: { amountMinor: 4000, currency: 'USD' } },
  });
  const reserve = (s: ReturnType<typeof start>, capacityOverrideReason: SealedPersonalData | null = null): AssistantCommand => ({ type: 'ReserveCommitment', data: { start: s, capacityOverrideReason } });
  // the route seals a reason under the engagement's key: the decider records the sealed value as it came
  const sealed: SealedPersonalData = { pii: 'v1', person: 'e-2', iv: 'bm9uY2Utbm9uY2U=', ct: 'Y2lwaGVydGV4dA==' };
  const reserved = (s: ReturnType<typeof start>) => given([registered]).when(reserve(s)).events()[0];

  describe('when the assistant has 20 of 30 hours committed', () => {
    const state = [registered, reserved(start('e-1', 'part-time', 20))];

    it('takes 10 more hours', () => {
      given(state).when(reserve(start('e-2', 'part-time', 10))).thenMatches([{ data: { engagementId: 'e-2', weeklyHours: 10, capacityOverride: null } }]);
    });

    it('refuses 11 more hours with ASSISTANT.CAPACITY_EXCEEDED', () => {
      given(state).when(reserve(start('e-2', 'part-time', 11))).thenThrows(DomainError, { code: 'ASSISTANT.CAPACITY_EXCEEDED', kind: 'rule' });
    });

    it('takes them with an override, recording the reason', () => {
      given(state).when(reserve(start('e-2', 'part-time', 11), sealed)).thenMatches([{ data: { capacityOverride: { reason: sealed } } }]);
    });

    it('refuses a full-time engagement while holding others', () => {
      given(state).when(reserve(start('e-2', 'full-time', 5))).thenThrows(DomainError, 'ENGAGEMENT.FULL_TIME_NOT_EXCLUSIVE');
    });

    it('reserves nothing twice for the same engagement', () => {
      given(state).when(reserve(start('e-1', 'part-time', 20))).thenNothingHappened();
    });

    it('releases a commitment once', () => {
      const release: AssistantCommand = { type: 'ReleaseCommitment', data: { engagementId: 'e-1' } };
      given(state).when(release).then([{ type: 'AssistantCommitmentReleased', data: { assistantId: 'a-1', engagementId: 'e-1' } }]);
      given(state).when(release, release).then([{ type: 'AssistantCommitmentReleased', data: { assistantId: 'a-1', engagementId: 'e-1' } }]);
    });
  });

  describe('when the assistant holds a full-time engagement', () => {
    const state = [registered, reserved(start('e-1', 'full-time', 30))];
    it('takes no other engagement, even a small one with an override', () => {
      given(state).when(reserve(start('e-2', 'part-time', 1), sealed)).thenThrows(DomainError, 'ASSISTANT.FULL_TIME_ENGAGED');
    });
  });

  describe('when the assistant is not registered', () => {
    it('answers not found', () => {
      given([]).when(reserve(start('e-1', 'part-time', 1))).thenThrows(DomainError, 'ASSISTANT.NOT_FOUND');
    });
  });

  describe('erasure', () => {
    const erase: AssistantCommand = { type: 'ErasePerson', data: { erasedAt: '2026-12-02T10:00:00.000Z' } };
    const erased = { type: 'PersonErased' as const, data: { personId: 'a-1', kind: 'assistant' as const, erasedAt: '2026-12-02T10:00:00.000Z' } };

    it('records that a registered assistant was erased, with no personal data', () => {
      given([{ type: 'AssistantRegistered', data }]).when(erase).then([erased]);
    });

    it('erases an assistant registered before encryption (plaintext in the store) the same way', () => {
      given([{ type: 'AssistantRegistered', data: { ...data, name: 'Jane', email: 'jane@x.co' } }]).when(erase).then([erased]);
    });

    it('refuses a second erasure', () => {
      given([{ type: 'AssistantRegistered', data }, erased]).when(erase).thenThrows(DomainError, { code: 'PERSON.ALREADY_ERASED', kind: 'conflict' });
    });

    it('refuses an unknown assistant', () => {
      given([]).when(erase).thenThrows(DomainError, { code: 'PERSON.NOT_FOUND', kind: 'not-found' });
    });

    it('keeps their commitments: hours are released only when engagements end', () => {
      const start = { engagementId: 'e-1', clientId: 'c-1', assistantId: 'a-1', kind: 'part-time' as const, weeklyHours: 10, startsOn: '2026-03-02', noticePeriodDays: 14, phase: null, plan: { type: 'hourly' as const, rate: { amountMinor: 4000, currency: 'USD' } } };
      given([{ type: 'AssistantRegistered', data }, { type: 'AssistantCommitmentReserved', data: { assistantId: 'a-1', engagementId: 'e-1', clientId: 'c-1', kind: 'part-time', weeklyHours: 10, capacityOverride: null, start } }, erased])
        .when({ type: 'ReleaseCommitment', data: { engagementId: 'e-1' } })
        .then([{ type: 'AssistantCommitmentReleased', data: { assistantId: 'a-1', engagementId: 'e-1' } }]);
    });
  });
});
