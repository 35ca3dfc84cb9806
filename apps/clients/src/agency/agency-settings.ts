import { DEFAULT_AGENCY_SETTINGS, type AgencySettingsChangedV1 } from '@vaops/contracts';
import type { Agencies } from './agencies';

/** The agency's policies, read from its stream (strongly consistent), or the defaults. */
export async function agencySettingsOf(agencies: Agencies, agencyId: string): Promise<AgencySettingsChangedV1> {
  const loaded = await agencies.load(agencyId, agencyId);
  return loaded?.state.settings ?? DEFAULT_AGENCY_SETTINGS;
}
