import { mayViewParties, ResourceErrors, type Principal } from '@vaops/platform';
import type { EngagementFactsDoc, EngagementField, EngagementFieldValues } from './clients-facts';

/**
 * An engagement as another service knows it from the facts kit, by `engagementId`: its parties and the
 * fields the service keeps. Less its agency, it is what that service's deciders check a command against.
 */
export type EngagementFacts<F extends EngagementField> = { engagementId: string; agencyId: string; clientId: string; assistantId: string } & Pick<EngagementFieldValues, F>;

/** The engagement of a facts document if it is the caller's agency's and the caller may see it (the agency, its assistant or its client); else 404. */
export function visibleEngagement<D extends EngagementFactsDoc<never>>(doc: D | null, engagementId: string, p: Principal): { engagementId: string } & Omit<D, '_id' | '_v'> {
  if (!doc || doc.agencyId !== p.agencyId || !mayViewParties(doc, p)) throw ResourceErrors.engagementNotFound(`engagement ${engagementId} not found`);
  const { _id, _v: _version, _rev: _revision, ...engagement } = doc as D & { _rev?: number };
  return { engagementId: _id, ...(engagement as Omit<D, '_id' | '_v'>) };
}
