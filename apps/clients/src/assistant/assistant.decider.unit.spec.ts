import { fold } from '@vaops/event-sourcing';
import type { AssistantEvent } from './assistant';
import { assistantDecider, type AssistantCommand } from './assistant.decider';

const data = {
  assistantId: 'a-1',
  name: 'Jane',
  email: 'jane@x.co',
  timezone: 'Asia/Manila',
  weeklyCapacityHours: 30,
  skills: [],
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

    it('refuses working hours that end before they start', () => {
      expect(() => assistantDecider.decide(register({ workingHours: [{ day: 2, start: '17:00', end: '09:00' }] }), given())).toThrow(
        expect.objectContaining({ code: 'ASSISTANT.WORKING_HOURS_INVALID' }),
      );
    });
  });

  describe('when the assistant is registered', () => {
    it('refuses to register them again', () => {
      expect(() => assistantDecider.decide(register(), given({ type: 'AssistantRegistered', data }))).toThrow(
        expect.objectContaining({ code: 'ASSISTANT.ALREADY_EXISTS' }),
      );
    });
  });
});
