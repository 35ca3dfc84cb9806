import type { AgencySettingsChangedV1 } from '@vaops/contracts';
import { defineDecider } from '@vaops/event-sourcing';
import { evolveAgency, initialAgencyState, type AgencyEvent, type AgencyState } from './agency';

export type AgencyCommand = { type: 'ChangeSettings'; data: AgencySettingsChangedV1 };

/** The same settings again record nothing (once the agency has set its own). */
export const agencyDecider = defineDecider<AgencyCommand, AgencyEvent, AgencyState>({
  initialState: initialAgencyState,
  evolve: evolveAgency,
  decide: {
    ChangeSettings(command, state) {
      const same = JSON.stringify(command.data) === JSON.stringify(state.settings) && state.customized;
      return same ? [] : [{ type: 'AgencySettingsChanged', data: { ...command.data } }];
    },
  },
});
