import type { AgencySettingsChangedV1 } from '@vaops/contracts';
import type { Decider } from '@vaops/event-sourcing';
import { evolveAgency, initialAgencyState, type AgencyEvent, type AgencyState } from './agency';

export type AgencyCommand = { type: 'ChangeSettings'; data: AgencySettingsChangedV1 };

/** The same settings again record nothing (once the agency has set its own). */
export function decideAgency(command: AgencyCommand, state: AgencyState): AgencyEvent[] {
  const same = JSON.stringify(command.data) === JSON.stringify(state.settings) && state.customized;
  return same ? [] : [{ type: 'AgencySettingsChanged', data: { ...command.data } }];
}

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, AgencyState> = {
  initialState: initialAgencyState,
  evolve: evolveAgency,
  decide: decideAgency,
};
