import type { EventEnvelope } from '@vaops/contracts';
import type { Principal } from '@vaops/platform';

/** The page regions that refresh themselves when the stream says something in them changed. */
export const REGIONS = ['agenda', 'alerts'] as const;
export type Region = (typeof REGIONS)[number];

export const isRegion = (value: string): value is Region => (REGIONS as readonly string[]).includes(value);

/** What changes someone's day (Today): each of these carries the appointment's assistantId and clientId. */
const APPOINTMENT_EVENTS = new Set(['AppointmentBooked', 'AppointmentRescheduled', 'AppointmentCancelled', 'AppointmentKept', 'AppointmentNoShow']);

/** The agency's day lists every assistant of the agency: a new one shows there too. */
const AGENCY_AGENDA_EVENTS = new Set([...APPOINTMENT_EVENTS, 'AssistantRegistered']);

/**
 * What can change the agency's alerts: silence (raised, or ended by a communication, a kept appointment
 * or logged time), notices and ends, review cadence, and retainers' approved hours.
 */
const ALERT_EVENTS = new Set([
  'EngagementStarted',
  'EngagementPlanChanged',
  'EngagementNoticeGiven',
  'EngagementEnded',
  'EngagementWentSilent',
  'CommunicationLogged',
  'ReviewCadenceSet',
  'AppointmentKept',
  'TimeEntryLogged',
  'TimeEntryAdjusted',
  'TimesheetApproved',
  'RetainerUsageWarning',
]);

/** The regions each role's pages have: Alerts is the agency's page. */
export const regionsOf = (p: Principal): readonly Region[] => (p.role === 'agency-admin' ? REGIONS : ['agenda']);

/** A string field of a decoded event's data, or undefined (the decoder checked it against its schema). */
function field(envelope: EventEnvelope, name: string): string | undefined {
  const data = envelope.data as Record<string, unknown> | null;
  const value = data && typeof data === 'object' ? data[name] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Which of the viewer's regions an event changed, or none. The agency's own events only (the
 * envelope's agencyId); for the agency, all of them. An assistant hears only appointments whose data
 * names them as the assistant, a client only appointments whose data names it as the client. An event
 * that does not carry enough to decide (an engagement event with only an engagementId, say) notifies no
 * client or assistant: a missed refresh is better than telling someone that another party did something.
 */
export function regionsFor(envelope: EventEnvelope, viewer: Principal): Region[] {
  if (envelope.metadata.agencyId !== viewer.agencyId) return [];
  const type = envelope.type;
  if (viewer.role === 'agency-admin') {
    return [...(AGENCY_AGENDA_EVENTS.has(type) ? (['agenda'] as const) : []), ...(ALERT_EVENTS.has(type) ? (['alerts'] as const) : [])];
  }
  if (!APPOINTMENT_EVENTS.has(type)) return [];
  const own = viewer.role === 'assistant' ? field(envelope, 'assistantId') === viewer.assistantId : field(envelope, 'clientId') === viewer.clientId;
  return own ? ['agenda'] : [];
}
