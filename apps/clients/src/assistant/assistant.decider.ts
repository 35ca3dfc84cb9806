import type { AssistantRegisteredV1 } from '@vaops/contracts';
import { DomainError, type Decider } from '@vaops/event-sourcing';
import { evolveAssistant, initialAssistantState, type AssistantEvent, type AssistantState } from './assistant';

export type AssistantCommand = { type: 'RegisterAssistant'; data: AssistantRegisteredV1 };

const HOURS_IN_WEEK = 168;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function decideAssistant(command: AssistantCommand, state: AssistantState): AssistantEvent[] {
  switch (command.type) {
    case 'RegisterAssistant': {
      const d = command.data;
      if (state.status !== 'none') throw new DomainError('ASSISTANT.ALREADY_EXISTS', 'conflict', `assistant ${d.assistantId} already exists`);
      if (d.weeklyCapacityHours <= 0 || d.weeklyCapacityHours > HOURS_IN_WEEK) {
        throw new DomainError('ASSISTANT.CAPACITY_OUT_OF_RANGE', 'invalid', `weeklyCapacityHours must be within 1..${HOURS_IN_WEEK}`, { field: 'weeklyCapacityHours' });
      }
      for (const w of d.workingHours) {
        if (minutes(w.end) <= minutes(w.start)) {
          throw new DomainError('ASSISTANT.WORKING_HOURS_INVALID', 'invalid', `working hours on day ${w.day} end before they start`, { field: 'workingHours' });
        }
      }
      return [{ type: 'AssistantRegistered', data: { ...d } }];
    }
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`unknown command ${String(_exhaustive)}`);
    }
  }
}

export const assistantDecider: Decider<AssistantCommand, AssistantEvent, AssistantState> = {
  initialState: initialAssistantState,
  evolve: evolveAssistant,
  decide: decideAssistant,
};
