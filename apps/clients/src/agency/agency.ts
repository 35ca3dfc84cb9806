import { DEFAULT_AGENCY_SETTINGS, type AgencySettingsChangedV1 } from '@vaops/contracts';

// ---------------------------------------------------------------- events

export type AgencyEvent = { type: 'AgencySettingsChanged'; data: AgencySettingsChangedV1 };

// ---------------------------------------------------------------- state

/** The agency's policies: the documented defaults until it first changes them. */
export type AgencyState = { settings: AgencySettingsChangedV1; customized: boolean };

export const initialAgencyState = (): AgencyState => ({ settings: DEFAULT_AGENCY_SETTINGS, customized: false });

export const evolveAgency = (_state: AgencyState, event: AgencyEvent): AgencyState => ({ settings: event.data, customized: true });

/** One stream per agency holds its policies; other services learn them from its events. */
export const agencyStreamId = (agencyId: string): string => `agency-${agencyId}`;
