import { DEFAULT_AGENCY_SETTINGS, type AgencySettingsChangedV1 } from '@vaops/contracts';
import type { Runtime } from '../runtime';
import { agencyDecider, agencyStreamId } from './agency';

/** The agency's policies, read from its stream (strongly consistent), or the defaults. */
export async function agencySettingsOf(runtime: Runtime, agencyId: string): Promise<AgencySettingsChangedV1> {
  const loaded = await runtime.loadOwned(agencyDecider, agencyStreamId(agencyId), agencyId);
  return loaded?.state.settings ?? DEFAULT_AGENCY_SETTINGS;
}
