import type { HandoverConflictV1, HandoverMeetingV1, HandoverMoveV1, HandoverPlannedV1, HandoverRestoreV1 } from '@vaops/contracts';
import { DateTime } from 'luxon';
import { ServiceError, type ServicesApi } from '../api';
import { html, type Html } from '../html';

/** What the clients service's `GET /engagements/:id/handover` answers (the fields the page shows): the plan as published, and what became of it. */
export interface HandoverPlan extends Omit<HandoverPlannedV1, 'plannedAt'> {
  status: 'planned' | 'cancelled';
  cancelled: { by: 'agency' | 'assistant'; reason: string; at: string } | null;
  appointments: { moved: HandoverMoveV1[]; conflicts: HandoverConflictV1[]; meeting: HandoverMeetingV1 | null } | null;
  unwound: { restored: HandoverRestoreV1[]; unresolved: HandoverConflictV1[]; meetingCancelled: boolean } | null;
}

/** The engagement's handover, or null when it has none (the service's 404); any other refusal is the page's. */
export async function handoverOf(api: ServicesApi, engagementId: string, token: string, after?: string): Promise<HandoverPlan | null> {
  try {
    return await api.get<HandoverPlan>('clients', `/engagements/${engagementId}/handover${after ? `?minPosition=${after}` : ''}`, token);
  } catch (err) {
    if (err instanceof ServiceError && err.status === 404) return null;
    throw err;
  }
}

const PHASE = ['I', 'II', 'III'];
/** An instant as a day and time in the client's zone, with the zone named. */
const when = (startsAt: string, endsAt: string, zone: string): string => {
  const start = DateTime.fromISO(startsAt, { zone: 'utc' }).setZone(zone);
  return `${start.toFormat('ccc d LLL yyyy, HH:mm')}–${DateTime.fromISO(endsAt, { zone: 'utc' }).setZone(zone).toFormat('HH:mm')} (${zone})`;
};

/**
 * The handover of an engagement in notice, as its client and the agency see it: the replacement, the
 * day, the starting phase and the status; the appointments moved (outgoing → replacement), those left for
 * the agency, and the handover meeting (in the client's zone, and in the viewer's, by the page's script).
 */
export function handoverBlock(h: HandoverPlan, names: ReadonlyMap<string, string>, zone: string): Html {
  const outgoing = names.get(h.outgoingAssistantId) ?? '(unknown)';
  const replacement = names.get(h.replacementAssistantId) ?? '(unknown)';
  const phase = h.startingPhase === null ? 'no phase' : `phase ${PHASE[h.startingPhase - 1] ?? h.startingPhase}`;
  const cancelled = h.cancelled ? html`<p>Cancelled by ${h.cancelled.by === 'agency' ? 'the agency' : replacement} on ${h.cancelled.at.slice(0, 10)}: ${h.cancelled.reason}</p>` : html``;
  const a = h.appointments;
  let appointments: Html;
  // once cancelled, what was moved is history: the block says what was given back instead
  if (h.status === 'cancelled') appointments = html``;
  else if (!a) appointments = html`<p class="muted">The appointments are being moved.</p>`;
  else {
    const m = a.meeting;
    const meeting = m
      ? html`<p data-handover-meeting>Handover meeting with ${outgoing} and ${replacement}: ${when(m.startsAt, m.endsAt, zone)}, your time <time data-viewer datetime="${m.startsAt}">${m.startsAt}</time></p>`
      : html`<p data-handover-meeting>No handover meeting: no half hour was free for both assistants.</p>`;
    const moved = a.moved.map((x) => html`<li>${x.kind}, ${when(x.startsAt, x.endsAt, zone)}: ${outgoing} → ${replacement}</li>`);
    const conflicts = a.conflicts.map((x) => html`<li>${x.kind}, ${when(x.startsAt, x.endsAt, zone)}: stays with ${outgoing} <span class="muted">(${x.reason})</span></li>`);
    appointments = html`${meeting}
      <h4>Appointments moved</h4>${moved.length ? html`<ul data-handover-moved>${moved}</ul>` : html`<p class="muted">None.</p>`}
      <h4>Left for the agency to resolve</h4>${conflicts.length ? html`<ul data-handover-conflicts>${conflicts}</ul>` : html`<p class="muted">None.</p>`}`;
  }
  const u = h.unwound;
  const unwound = u
    ? html`<h4>Given back to ${outgoing}</h4>${
        u.restored.length ? html`<ul>${u.restored.map((x) => html`<li>${when(x.startsAt, x.endsAt, zone)}</li>`)}</ul>` : html`<p class="muted">None.</p>`
      }${u.unresolved.length ? html`<h4>Not given back, for the agency to resolve</h4><ul>${u.unresolved.map((x) => html`<li>${x.kind}, ${when(x.startsAt, x.endsAt, zone)} <span class="muted">(${x.reason})</span></li>`)}</ul>` : html``}`
    : html``;
  return html`<div class="handover" data-handover="${h.engagementId}">
      <h3>Handover</h3>
      <p>To <strong>${replacement}</strong> from ${h.handoverOn}, starting in ${phase} · <span data-handover-status>${h.status}</span></p>
      ${cancelled}${appointments}${unwound}
    </div>`;
}
