import type { StoredEvent } from '@vaops/event-sourcing';
import { historyItem, type HistoryItem, type PastState, type Principal } from '@vaops/platform';
import type { EngagementEvent, EngagementState } from '../engagement';
import type { EngagementDoc } from '../engagement-details/engagement-details.projection';

/** Events an assistant does not see, and the field it never sees (the client's rate). */
const PLAN_EVENTS = new Set(['EngagementPlanChanged']);

/** The engagement's changes, in order, as the caller may see them: an assistant never sees a plan. */
export function engagementHistory(events: StoredEvent<EngagementEvent>[], p: Principal): HistoryItem[] {
  const items = events.map((e) => historyItem(e, ['engagementId']));
  if (p.role !== 'assistant') return items;
  return items
    .filter((i) => !PLAN_EVENTS.has(i.type))
    .map((i) => {
      const { plan: _plan, ...changes } = i.changes;
      return { ...i, changes };
    });
}

/**
 * The engagement's document as it stood when `past` was folded (with the decider's `evolve`): the same
 * fields the engagement-details read model keeps, so `GET /engagements/:id?asOf=` answers today's shape.
 * What the fold does not keep (when phases applied, the last review, the history) comes from the
 * events it was folded from.
 */
export function engagementDocAt(past: PastState<EngagementState, EngagementEvent>, agencyId: string): EngagementDoc | null {
  const s = past.state;
  if (s.status === 'none') return null;
  // the handover is not part of the engagement's document (GET /engagements/:id/handover shows it)
  const { engagementId, plans, notice, ended, lastActivityAt, silenceFlaggedFor, reviewEveryDays, status, handover: _handover, ...started } = s;
  const phaseHistory: EngagementDoc['phaseHistory'] = [];
  let lastReviewAt: string | null = null;
  for (const stored of past.events) {
    const e = { type: stored.type, data: stored.data, metadata: stored.metadata } as EngagementEvent & { metadata: typeof stored.metadata };
    if (e.type === 'EngagementStarted') phaseHistory.push({ phase: e.data.phase, from: e.metadata.occurredAt });
    if (e.type === 'EngagementPhaseChanged') phaseHistory.push({ phase: e.data.to, from: e.data.effectiveAt });
    if (e.type === 'CommunicationLogged' && e.data.channel !== 'message' && (lastReviewAt === null || Date.parse(e.data.occurredAt) > Date.parse(lastReviewAt))) lastReviewAt = e.data.occurredAt;
  }
  let noticeView: EngagementDoc['notice'] = null;
  if (notice) {
    const { engagementId: _id, ...rest } = notice;
    noticeView = rest;
  }
  return {
    ...started,
    _id: engagementId,
    _v: past.version,
    agencyId,
    status,
    phaseHistory,
    plans,
    notice: noticeView,
    endsOn: ended ? ended.endedOn : (notice?.endsOn ?? null),
    endedBy: ended?.endedBy ?? null,
    endedOn: ended?.endedOn ?? null,
    lastActivityAt,
    lastReviewAt,
    reviewEveryDays,
    silentSince: silenceFlaggedFor,
    history: past.events.map((e) => ({ type: e.type, at: e.metadata.occurredAt, actor: { sub: e.metadata.actor.sub, role: e.metadata.actor.role }, data: { ...e.data } })),
  };
}

/** Whether the caller may see the engagement (its agency, its client, its assistant). */
export const visibleTo = (s: EngagementState, p: Principal): boolean =>
  s.status !== 'none' && !(p.role === 'client' && s.clientId !== p.clientId) && !(p.role === 'assistant' && s.assistantId !== p.assistantId);
