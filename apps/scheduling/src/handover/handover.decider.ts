import type { HandoverScheduledV1, HandoverUnwoundV1 } from '@vaops/contracts';
import { defineDecider } from '@vaops/event-sourcing';
import { evolveHandover, initialHandoverState, type HandoverEvent, type HandoverState } from './handover';

export type HandoverCommand = { type: 'RecordSchedule'; data: HandoverScheduledV1 } | { type: 'RecordUnwind'; data: HandoverUnwoundV1 };

/** Each outcome is recorded once: a redelivered event finds it recorded and changes nothing. */
export const handoverDecider = defineDecider<HandoverCommand, HandoverEvent, HandoverState>({
  initialState: initialHandoverState,
  evolve: evolveHandover,
  decide: {
    RecordSchedule(command, state) {
      // a handover undone before it was scheduled stays undone
      return state.status === 'none' ? [{ type: 'HandoverScheduled', data: command.data }] : [];
    },
    RecordUnwind(command, state) {
      return state.status === 'unwound' ? [] : [{ type: 'HandoverUnwound', data: command.data }];
    },
  },
});
