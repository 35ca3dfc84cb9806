import { fold } from '@vaops/event-sourcing';
import type { AssistantEvent } from './assistant';
import { assistantDecider, type AssistantCommand } from './assistant.decider';

const data = {
  assistantId: 'a-1',
  name: 'Jane',
  email: 'jane@x.co',
  timezone: 'Asia/Manila',
  weeklyCapacityHours: 30,
  skills: [] as string[],
  payRate: { amountMinor: 1200, currency: 'USD' },
  workingHours: [{ day: 1, start: '09:00', end: '17:00' }],
};
const register = (over: Partial<typeof data> = {}): AssistantCommand => ({ type: 'RegisterAssistant', data: { ...data, ...over } });
const given = (...events: AssistantEvent[]) => fold(assistantDecider, events);

describe('assistant decider', () => {
  describe('when the assistant does not exist', () => {
    it('registers them', () => {
      expect(assistantDecider.decide(register(), given())).toEqual([{ type: 'AssistantRegistered', data }]);
    });

    it.each([0, -5, 169])('refuses a weekly capacity of %p hours', (h) => {
      expect(() => assistantDecider.decide(register({ weeklyCapacityHours: h }), given())).toThrow(
        expect.objectContaining({ code: 'ASSISTANT.CAPACITY_OUT_OF_RANGE', kind: 'invalid' }),
      );
    });

    it('takes capacity in whole minutes only (published in minutes since AssistantRegistered v2)', () => {
      expect(assistantDecider.decide(register({ weeklyCapacityHours: 37.5 }), given())).toHaveLength(1);
      expect(assistantDecider.decide(register({ weeklyCapacityHours: 37.3 }), given())).toHaveLength(1);
      expect(() => assistantDecider.decide(register({ weeklyCapacityHours: 37.333 }), given())).toThrow(
        expect.objectContaining({ code: 'ASSISTANT.CAPACITY_OUT_OF_RANGE', message: expect.stringContaining('whole number of minutes') }),
      );
    });

    it('refuses working hours that end before they start', () => {
      expect(() => assistantDecider.decide(register({ workingHours: [{ day: 2, start: '17:00', end: '09:00' }] }), given())).toThrow(
        expect.objectContaining({ code: 'ASSISTANT.WORKING_HOURS_INVALID' }),
      );
    });
  });

  describe('when the assistant is registered', () => {
    it('registers nothing for a retried request (its id exists)', () => {
      expect(assistantDecider.decide(register(), given({ type: 'AssistantRegistered', data }))).toEqual([]);
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
  const reserve = (s: ReturnType<typeof start>, capacityOverrideReason: string | null = null): AssistantCommand => ({ type: 'ReserveCommitment', data: { start: s, capacityOverrideReason } });
  const reserved = (s: ReturnType<typeof start>) => assistantDecider.decide(reserve(s), given(registered))[0];

  describe('when the assistant has 20 of 30 hours committed', () => {
    const state = given(registered, reserved(start('e-1', 'part-time', 20)));

    it('takes 10 more hours', () => {
      expect(assistantDecider.decide(reserve(start('e-2', 'part-time', 10)), state)[0].data).toMatchObject({ engagementId: 'e-2', weeklyHours: 10, capacityOverride: null });
    });

    it('refuses 11 more hours with ASSISTANT.CAPACITY_EXCEEDED', () => {
      expect(() => assistantDecider.decide(reserve(start('e-2', 'part-time', 11)), state)).toThrow(expect.objectContaining({ code: 'ASSISTANT.CAPACITY_EXCEEDED', kind: 'rule' }));
    });

    it('takes them with an override, recording the reason', () => {
      expect(assistantDecider.decide(reserve(start('e-2', 'part-time', 11), 'busy season, agreed with Jane'), state)[0].data).toMatchObject({ capacityOverride: { reason: 'busy season, agreed with Jane' } });
    });

    it('refuses a full-time engagement while holding others', () => {
      expect(() => assistantDecider.decide(reserve(start('e-2', 'full-time', 5)), state)).toThrow(expect.objectContaining({ code: 'ENGAGEMENT.FULL_TIME_NOT_EXCLUSIVE' }));
    });

    it('reserves nothing twice for the same engagement', () => {
      expect(assistantDecider.decide(reserve(start('e-1', 'part-time', 20)), state)).toEqual([]);
    });

    it('releases a commitment once', () => {
      const [released] = assistantDecider.decide({ type: 'ReleaseCommitment', data: { engagementId: 'e-1' } }, state);
      expect(released).toEqual({ type: 'AssistantCommitmentReleased', data: { assistantId: 'a-1', engagementId: 'e-1' } });
      expect(assistantDecider.decide({ type: 'ReleaseCommitment', data: { engagementId: 'e-1' } }, given(registered, reserved(start('e-1', 'part-time', 20)), released))).toEqual([]);
    });
  });

  describe('when the assistant holds a full-time engagement', () => {
    const state = given(registered, reserved(start('e-1', 'full-time', 30)));
    it('takes no other engagement, even a small one with an override', () => {
      expect(() => assistantDecider.decide(reserve(start('e-2', 'part-time', 1), 'please'), state)).toThrow(expect.objectContaining({ code: 'ASSISTANT.FULL_TIME_ENGAGED' }));
    });
  });

  describe('when the assistant is not registered', () => {
    it('answers not found', () => {
      expect(() => assistantDecider.decide(reserve(start('e-1', 'part-time', 1)), given())).toThrow(expect.objectContaining({ code: 'ASSISTANT.NOT_FOUND' }));
    });
  });
});
