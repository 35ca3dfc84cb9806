import { DEFAULT_AGENCY_SETTINGS, type AgencySettingsChangedV1 } from '@vaops/contracts';
import type { Decider } from '@vaops/event-sourcing';

export type AgencyEvent = { type: 'AgencySettingsChanged'; data: AgencySettingsChangedV1 };
export type AgencyState = { settings: AgencySettingsChangedV1; customized: boolean };
export type AgencyCommand = { type: 'ChangeSettings'; data: AgencySettingsChangedV1 };

/** One stream per agency holds its policies; other services learn them from its events. */
export const agencyStreamId = (agencyId: string): string => `agency-${agencyId}`;

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, AgencyState> = {
  initialState: () => ({ settings: DEFAULT_AGENCY_SETTINGS, customized: false }),
  evolve: (_state, event) => ({ settings: event.data, customized: true }),
  decide: (command, state) => {
    const same = JSON.stringify(command.data) === JSON.stringify(state.settings) && state.customized;
    return same ? [] : [{ type: 'AgencySettingsChanged', data: { ...command.data } }];
  },
};
