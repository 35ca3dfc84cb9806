import { DateTime } from 'luxon';
import { isCategoryAllowedInPhase, isoWeekOf, monthOf, type AppointmentKind, type AssistantRegisteredV1, type CommunicationChannel, type Money as ContractMoney, type Phase, type PlanV1, type WorkingHoursV1 } from '@vaops/contracts';

/**
 * The demo agency `npm start` creates on an empty dev database: who works for whom on what terms, and
 * the last eight weeks of their calendar, time and reviews, as a plan computed from "now" alone (the
 * same instant gives the same plan). seed.ts carries it out through the services' public HTTP APIs.
 *
 * The agency runs from London; its assistants work from Manila, London, New York and Buenos Aires for
 * small businesses in the US, the UK, the EU, Australia and Canada. Eight weeks back ("week -8") is when
 * the agency started keeping its time in vaops; the engagements themselves started earlier.
 */

export const AGENCY_ZONE = 'Europe/London';
/** Weeks of history, before the current one. */
export const WEEKS_BACK = 8;

export const DEMO_SETTINGS = {
  timezone: AGENCY_ZONE,
  minimumNoticeHours: 24,
  bufferMinutes: 15,
  roundingMinutes: 15,
  roundingMode: 'up',
  silenceWorkingDays: 5,
} as const;

// the shapes the services take, from the contracts (not written again here)
export type Money = ContractMoney;
export type Plan = PlanV1;
export type WorkingHours = WorkingHoursV1;
/** An assistant of the plan: what registering them sends, under a key the plan refers to them by. */
export type DemoAssistant = Omit<AssistantRegisteredV1, 'assistantId'> & { key: string };

export interface DemoClient {
  key: string;
  name: string;
  email: string;
  timezone: string;
  currency: string;
}

/** What makes an engagement part of the agency's story (the console's Alerts page shows each). */
export type EngagementRole = 'silent' | 'notice' | 'retainer-past-80' | 'review-overdue' | 'review-on-time';

export interface DemoEngagement {
  key: string;
  clientKey: string;
  assistantKey: string;
  kind: 'part-time' | 'full-time';
  weeklyHours: number;
  startsOn: string;
  noticePeriodDays: number;
  phase: Phase;
  plan: Plan;
  /** Duty categories the assistant logs time on (each allowed by the phase). */
  duties: string[];
  meeting: 'check-in' | 'video-conference';
  role: EngagementRole | null;
}

export interface DemoEntry {
  key: string;
  engagementKey: string;
  assistantKey: string;
  category: string;
  startedAt: string;
  endedAt: string;
  billable: boolean;
  notes: string;
  /** The timesheet week, as time-tracking computes it: the ISO week in the assistant's zone. */
  isoWeek: string;
  /** The month in the agency's zone (billing periods and retainer months). */
  month: string;
}

export type SheetOutcome = 'approved-by-client' | 'approved-by-agency' | 'rejected-then-approved' | 'submitted' | 'open';
export interface DemoSheet {
  engagementKey: string;
  assistantKey: string;
  clientKey: string;
  isoWeek: string;
  /** Weeks relative to the current one (0), -8 the oldest. */
  week: number;
  outcome: SheetOutcome;
  /** Why the client rejects the week, and the assistant's corrected note on its longest entry. */
  rejection: string | null;
  correction: string | null;
}

export interface DemoChange {
  type: 'reschedule' | 'cancel';
  by: 'assistant' | 'client';
  /** When the change is asked for: within the agency's minimum notice it is late. */
  at: string;
  late: boolean;
  reason: string;
  /** The new slot of a reschedule. */
  startsAt?: string;
  endsAt?: string;
}

export type AppointmentOutcome = 'kept' | 'no-show' | 'cancelled' | 'upcoming';
/** A weekly series, booked in one request: its occurrences are the appointments `${key}/${week}`. */
export interface DemoSeries {
  key: string;
  engagementKey: string;
  assistantKey: string;
  kind: AppointmentKind;
  title: string;
  /** The first occurrence; the others repeat at its local time in the client's zone, as scheduling does. */
  startsAt: string;
  endsAt: string;
  count: number;
}
export interface DemoAppointment {
  key: string;
  /** Its series and its index in it, or null for a one-off. */
  seriesKey: string | null;
  occurrence: number | null;
  engagementKey: string;
  assistantKey: string;
  clientKey: string;
  kind: AppointmentKind;
  title: string;
  startsAt: string;
  endsAt: string;
  change: DemoChange | null;
  outcome: AppointmentOutcome;
  /** When the assistant records it kept (a kept appointment only): 25 minutes into it. */
  keptAt: string | null;
}

export interface DemoCommunication {
  key: string;
  engagementKey: string;
  channel: CommunicationChannel;
  occurredAt: string;
  summary: string;
}

export interface DemoPhaseChange {
  engagementKey: string;
  by: 'agency' | 'client';
  to: Phase;
  reason: string;
}

export interface DemoNotice {
  engagementKey: string;
  by: 'client' | 'assistant';
  reason: string;
}

export interface DemoPlan {
  now: string;
  /** Monday (YYYY-MM-DD, agency zone) of each week, from -WEEKS_BACK to +1. */
  weeks: { week: number; monday: string }[];
  /** The month (agency zone) of `now`. */
  month: string;
  assistants: DemoAssistant[];
  clients: DemoClient[];
  engagements: DemoEngagement[];
  entries: DemoEntry[];
  sheets: DemoSheet[];
  series: DemoSeries[];
  appointments: DemoAppointment[];
  /**
   * When the agency moved to vaops (the Friday before week -8, 16:00 in London): the clients and
   * scheduling services' clocks stand there while the people, engagements and calendar are created.
   */
  startClock: string;
  /** Kick-off calls at the start, then the recent communications (logged once the clock is back). */
  communications: DemoCommunication[];
  reviewCadences: { engagementKey: string; everyDays: number }[];
  phaseChanges: DemoPhaseChange[];
  notices: DemoNotice[];
  /** The retainer past 80 % of this month's included hours once its weeks are approved. */
  retainer: { engagementKey: string; month: string; usedMinutes: number; includedMinutes: number };
}

// ---------------------------------------------------------------- people

const ZONES = { manila: 'Asia/Manila', london: 'Europe/London', newYork: 'America/New_York', buenosAires: 'America/Argentina/Buenos_Aires' } as const;
const WEEKDAYS_8_TO_18: WorkingHours[] = [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '18:00' }));
const usd = (amountMinor: number): Money => ({ amountMinor, currency: 'USD' });

const assistant = (key: string, name: string, timezone: string, weeklyCapacityHours: number, skills: string[], payMinor: number): DemoAssistant => ({
  key,
  name,
  email: `${key.replace(/-/g, '.')}@team.brightdesk.example`,
  timezone,
  weeklyCapacityHours,
  skills,
  payRate: usd(payMinor),
  workingHours: WEEKDAYS_8_TO_18,
});

export const DEMO_ASSISTANTS: readonly DemoAssistant[] = [
  assistant('maria-santos', 'Maria Santos', ZONES.manila, 40, ['bookkeeping', 'data-entry', 'calendar-management'], 950),
  assistant('joshua-reyes', 'Joshua Reyes', ZONES.manila, 30, ['social-media', 'ad-copy', 'data-entry'], 850),
  assistant('angelica-cruz', 'Angelica Cruz', ZONES.manila, 40, ['calendar-management', 'screening', 'booking-appointments'], 1000),
  assistant('james-whitaker', 'James Whitaker', ZONES.london, 30, ['calendar-management', 'screening', 'decisions'], 2200),
  assistant('olivia-bennett', 'Olivia Bennett', ZONES.london, 35, ['bookkeeping', 'mailings', 'screening'], 2000),
  assistant('priya-shah', 'Priya Shah', ZONES.london, 30, ['website', 'social-media', 'mailing-lists'], 2100),
  assistant('emily-carter', 'Emily Carter', ZONES.newYork, 35, ['sales-pipeline', 'booking-appointments', 'calendar-management'], 2800),
  assistant('marcus-johnson', 'Marcus Johnson', ZONES.newYork, 40, ['bookkeeping', 'data-entry', 'confirming-appointments'], 2500),
  assistant('hannah-brooks', 'Hannah Brooks', ZONES.newYork, 30, ['ad-copy', 'website', 'social-media'], 2600),
  assistant('lucia-fernandez', 'Lucía Fernández', ZONES.buenosAires, 35, ['bookkeeping', 'screening', 'data-entry'], 1400),
  assistant('martin-gomez', 'Martín Gómez', ZONES.buenosAires, 30, ['social-media', 'ad-copy', 'mailings'], 1300),
  assistant('valentina-ruiz', 'Valentina Ruiz', ZONES.buenosAires, 30, ['calendar-management', 'confirming-appointments', 'booking-appointments'], 1500),
];

const client = (key: string, name: string, domain: string, timezone: string, currency: string): DemoClient => ({ key, name, email: `office@${domain}.example`, timezone, currency });

export const DEMO_CLIENTS: readonly DemoClient[] = [
  client('harbor-dental', 'Harbor Dental Care', 'harbordental', 'America/New_York', 'USD'),
  client('summit-roofing', 'Summit Roofing Co.', 'summitroofing', 'America/Denver', 'USD'),
  client('maple-street-bakery', 'Maple Street Bakery', 'maplestreetbakery', 'America/Chicago', 'USD'),
  client('redwood-wealth', 'Redwood Wealth Advisors', 'redwoodwealth', 'America/Los_Angeles', 'USD'),
  client('brightline-pt', 'Brightline Physical Therapy', 'brightlinept', 'America/New_York', 'USD'),
  client('oakridge-law', 'Oakridge Law Group', 'oakridgelaw', 'America/Chicago', 'USD'),
  client('bluebird-events', 'Bluebird Events', 'bluebirdevents', 'America/Los_Angeles', 'USD'),
  client('cedar-pine', 'Cedar & Pine Interiors', 'cedarandpine', 'America/New_York', 'USD'),
  client('lakeside-vet', 'Lakeside Veterinary Clinic', 'lakesidevet', 'America/Chicago', 'USD'),
  client('northstar-fitness', 'Northstar Fitness Studio', 'northstarfitness', 'America/Denver', 'USD'),
  client('greenway-landscaping', 'Greenway Landscaping', 'greenwaylandscaping', 'America/New_York', 'USD'),
  client('pacific-coast-realty', 'Pacific Coast Realty', 'pacificcoastrealty', 'America/Los_Angeles', 'USD'),
  client('kestrel-legal', 'Kestrel Legal', 'kestrellegal', 'Europe/London', 'GBP'),
  client('thames-valley-plumbing', 'Thames Valley Plumbing', 'thamesvalleyplumbing', 'Europe/London', 'GBP'),
  client('hawthorne-accountancy', 'Hawthorne Accountancy', 'hawthorneaccountancy', 'Europe/London', 'GBP'),
  client('marlow-finch', 'Marlow & Finch Architects', 'marlowfinch', 'Europe/London', 'GBP'),
  client('fenwick-tutoring', 'Fenwick Tutoring', 'fenwicktutoring', 'Europe/London', 'GBP'),
  client('blumenhaus-berlin', 'Blumenhaus Berlin', 'blumenhaus', 'Europe/Berlin', 'EUR'),
  client('casa-lumbre', 'Casa Lumbre Tapas', 'casalumbre', 'Europe/Madrid', 'EUR'),
  client('van-dijk-design', 'Van Dijk Design Studio', 'vandijkdesign', 'Europe/Amsterdam', 'EUR'),
  client('cafe-lumiere', 'Café Lumière', 'cafelumiere', 'Europe/Paris', 'EUR'),
  client('bondi-surf-school', 'Bondi Surf School', 'bondisurfschool', 'Australia/Sydney', 'AUD'),
  client('coastal-physio', 'Coastal Physio Sydney', 'coastalphysio', 'Australia/Sydney', 'AUD'),
  client('maple-leaf-movers', 'Maple Leaf Movers', 'mapleleafmovers', 'America/Toronto', 'CAD'),
  client('northern-lights-photo', 'Northern Lights Photography', 'northernlightsphoto', 'America/Vancouver', 'CAD'),
];

// ---------------------------------------------------------------- engagements

const money = (amount: number, currency: string): Money => ({ amountMinor: Math.round(amount * 100), currency });
const hourly = (rate: number, currency: string): Plan => ({ type: 'hourly', rate: money(rate, currency) });
const retainer = (fee: number, includedHours: number, overage: number, currency: string, rollover: boolean): Plan => ({
  type: 'retainer',
  monthlyFee: money(fee, currency),
  includedHours,
  overageRate: money(overage, currency),
  rollover,
});

/** The retainer past 80 %: 10 hours a month at £35 an hour for about 2 a week; this month's time brings it to about 85 %. */
const RETAINER_80 = { key: 'fenwick-priya', includedHours: 10, hourlyFee: 35, overage: 40, target: 0.85 };

interface EngagementRow {
  key: string;
  client: string;
  assistant: string;
  weeklyHours: number;
  phase: Phase;
  plan: Plan;
  duties: string[];
  /** Days before week -8's Monday that it started (negative: after it). */
  startedDaysBefore: number;
  kind?: 'full-time';
  meeting?: 'video-conference';
  noticePeriodDays?: number;
  role?: EngagementRole;
}

const ENGAGEMENT_ROWS: readonly EngagementRow[] = [
  { key: 'bondi-maria', client: 'bondi-surf-school', assistant: 'maria-santos', weeklyHours: 10, phase: 2, plan: hourly(32, 'AUD'), duties: ['bookkeeping', 'screening', 'data-entry'], startedDaysBefore: 210 },
  { key: 'harbor-maria', client: 'harbor-dental', assistant: 'maria-santos', weeklyHours: 15, phase: 3, plan: retainer(2450, 85, 32, 'USD', true), duties: ['calendar-management', 'confirming-appointments', 'bookkeeping'], startedDaysBefore: 330, meeting: 'video-conference' },
  { key: 'maple-bakery-maria', client: 'maple-street-bakery', assistant: 'maria-santos', weeklyHours: 8, phase: 1, plan: hourly(25, 'USD'), duties: ['data-entry', 'supplies', 'mailing-lists'], startedDaysBefore: 40 },
  { key: 'pacific-joshua', client: 'pacific-coast-realty', assistant: 'joshua-reyes', weeklyHours: 12, phase: 2, plan: hourly(26, 'USD'), duties: ['social-media', 'ad-copy', 'mailing-lists'], startedDaysBefore: 150 },
  { key: 'van-dijk-joshua', client: 'van-dijk-design', assistant: 'joshua-reyes', weeklyHours: 6, phase: 1, plan: hourly(24, 'EUR'), duties: ['data-entry', 'mailings'], startedDaysBefore: 75, role: 'silent' },
  { key: 'northstar-joshua', client: 'northstar-fitness', assistant: 'joshua-reyes', weeklyHours: 8, phase: 2, plan: hourly(24, 'USD'), duties: ['social-media', 'confirming-appointments', 'data-entry'], startedDaysBefore: 120 },
  { key: 'coastal-angelica', client: 'coastal-physio', assistant: 'angelica-cruz', weeklyHours: 40, phase: 3, plan: hourly(30, 'AUD'), duties: ['calendar-management', 'booking-appointments', 'screening', 'bookkeeping'], startedDaysBefore: 400, kind: 'full-time', meeting: 'video-conference' },
  { key: 'kestrel-james', client: 'kestrel-legal', assistant: 'james-whitaker', weeklyHours: 10, phase: 3, plan: retainer(2200, 55, 45, 'GBP', true), duties: ['calendar-management', 'screening', 'decisions'], startedDaysBefore: 280 },
  { key: 'marlow-james', client: 'marlow-finch', assistant: 'james-whitaker', weeklyHours: 8, phase: 2, plan: hourly(35, 'GBP'), duties: ['screening', 'confirming-appointments', 'data-entry'], startedDaysBefore: 95 },
  { key: 'blumenhaus-james', client: 'blumenhaus-berlin', assistant: 'james-whitaker', weeklyHours: 6, phase: 1, plan: hourly(38, 'EUR'), duties: ['mailings', 'mailing-lists'], startedDaysBefore: 55, meeting: 'video-conference' },
  { key: 'hawthorne-olivia', client: 'hawthorne-accountancy', assistant: 'olivia-bennett', weeklyHours: 12, phase: 2, plan: retainer(2450, 70, 40, 'GBP', false), duties: ['bookkeeping', 'screening', 'data-entry'], startedDaysBefore: 365 },
  { key: 'thames-olivia', client: 'thames-valley-plumbing', assistant: 'olivia-bennett', weeklyHours: 8, phase: 1, plan: hourly(30, 'GBP'), duties: ['data-entry', 'mailings', 'supplies'], startedDaysBefore: 65 },
  { key: 'cafe-olivia', client: 'cafe-lumiere', assistant: 'olivia-bennett', weeklyHours: 6, phase: 2, plan: hourly(32, 'EUR'), duties: ['bookkeeping', 'social-media'], startedDaysBefore: 180, noticePeriodDays: 14, role: 'notice' },
  {
    key: RETAINER_80.key,
    client: 'fenwick-tutoring',
    assistant: 'priya-shah',
    weeklyHours: 2,
    phase: 2,
    plan: retainer(RETAINER_80.includedHours * RETAINER_80.hourlyFee, RETAINER_80.includedHours, RETAINER_80.overage, 'GBP', false),
    duties: ['website', 'mailing-lists', 'social-media'],
    startedDaysBefore: 140,
    role: 'retainer-past-80',
  },
  { key: 'casa-lumbre-priya', client: 'casa-lumbre', assistant: 'priya-shah', weeklyHours: 8, phase: 2, plan: hourly(30, 'EUR'), duties: ['social-media', 'ad-copy', 'website'], startedDaysBefore: 100, meeting: 'video-conference' },
  { key: 'greenway-priya', client: 'greenway-landscaping', assistant: 'priya-shah', weeklyHours: 8, phase: 1, plan: hourly(40, 'USD'), duties: ['mailing-lists', 'data-entry', 'mailings'], startedDaysBefore: -35 },
  { key: 'redwood-emily', client: 'redwood-wealth', assistant: 'emily-carter', weeklyHours: 15, phase: 3, plan: retainer(4250, 85, 55, 'USD', true), duties: ['sales-pipeline', 'calendar-management', 'booking-appointments'], startedDaysBefore: 250, meeting: 'video-conference', role: 'review-on-time' },
  { key: 'oakridge-emily', client: 'oakridge-law', assistant: 'emily-carter', weeklyHours: 10, phase: 3, plan: hourly(45, 'USD'), duties: ['calendar-management', 'screening', 'confirming-appointments'], startedDaysBefore: 160 },
  { key: 'bluebird-emily', client: 'bluebird-events', assistant: 'emily-carter', weeklyHours: 8, phase: 2, plan: hourly(40, 'USD'), duties: ['confirming-appointments', 'ad-copy', 'mailings'], startedDaysBefore: 85 },
  { key: 'brightline-marcus', client: 'brightline-pt', assistant: 'marcus-johnson', weeklyHours: 12, phase: 2, plan: hourly(38, 'USD'), duties: ['confirming-appointments', 'bookkeeping', 'data-entry'], startedDaysBefore: 200, role: 'review-overdue' },
  { key: 'lakeside-marcus', client: 'lakeside-vet', assistant: 'marcus-johnson', weeklyHours: 10, phase: 1, plan: hourly(36, 'USD'), duties: ['data-entry', 'mailing-lists', 'supplies'], startedDaysBefore: 60 },
  { key: 'maple-leaf-marcus', client: 'maple-leaf-movers', assistant: 'marcus-johnson', weeklyHours: 8, phase: 2, plan: hourly(42, 'CAD'), duties: ['bookkeeping', 'confirming-appointments'], startedDaysBefore: 110 },
  { key: 'cedar-hannah', client: 'cedar-pine', assistant: 'hannah-brooks', weeklyHours: 10, phase: 2, plan: hourly(42, 'USD'), duties: ['ad-copy', 'website', 'social-media'], startedDaysBefore: 170, meeting: 'video-conference' },
  { key: 'summit-hannah', client: 'summit-roofing', assistant: 'hannah-brooks', weeklyHours: 8, phase: 1, plan: hourly(38, 'USD'), duties: ['data-entry', 'mailings'], startedDaysBefore: 45 },
  { key: 'northern-lights-hannah', client: 'northern-lights-photo', assistant: 'hannah-brooks', weeklyHours: 6, phase: 2, plan: hourly(40, 'CAD'), duties: ['website', 'social-media'], startedDaysBefore: 130 },
  { key: 'harbor-lucia', client: 'harbor-dental', assistant: 'lucia-fernandez', weeklyHours: 8, phase: 1, plan: hourly(28, 'USD'), duties: ['data-entry', 'mailings', 'mailing-lists'], startedDaysBefore: 50 },
  { key: 'oakridge-lucia', client: 'oakridge-law', assistant: 'lucia-fernandez', weeklyHours: 10, phase: 2, plan: hourly(30, 'USD'), duties: ['bookkeeping', 'screening', 'data-entry'], startedDaysBefore: 90 },
  { key: 'bluebird-martin', client: 'bluebird-events', assistant: 'martin-gomez', weeklyHours: 8, phase: 2, plan: hourly(26, 'USD'), duties: ['social-media', 'ad-copy'], startedDaysBefore: 70 },
  { key: 'cedar-martin', client: 'cedar-pine', assistant: 'martin-gomez', weeklyHours: 6, phase: 2, plan: hourly(28, 'USD'), duties: ['social-media', 'mailings'], startedDaysBefore: 80 },
  { key: 'brightline-valentina', client: 'brightline-pt', assistant: 'valentina-ruiz', weeklyHours: 8, phase: 3, plan: hourly(30, 'USD'), duties: ['booking-appointments', 'confirming-appointments', 'calendar-management'], startedDaysBefore: 190 },
  { key: 'summit-valentina', client: 'summit-roofing', assistant: 'valentina-ruiz', weeklyHours: 6, phase: 2, plan: hourly(27, 'USD'), duties: ['confirming-appointments', 'screening'], startedDaysBefore: 35 },
];

export const DEMO_PHASE_CHANGES: readonly DemoPhaseChange[] = [
  { engagementKey: 'lakeside-marcus', by: 'client', to: 2, reason: 'Months of spotless records: Marcus now confirms our appointments and screens the phone line.' },
  { engagementKey: 'thames-olivia', by: 'agency', to: 2, reason: 'Trust established: administrative duties from now on, screening calls and confirming jobs, agreed with the client.' },
  { engagementKey: 'oakridge-emily', by: 'agency', to: 2, reason: 'Two hearings double-booked in a month: back to confirming rather than booking until the new calendar rules are in place.' },
];

export const DEMO_NOTICES: readonly DemoNotice[] = [{ engagementKey: 'cafe-olivia', by: 'client', reason: 'Bringing the bookkeeping in-house: our new manager starts next month.' }];

// ---------------------------------------------------------------- the notes assistants write

const NOTES: Record<string, string[]> = {
  'mailing-lists': ['Cleaned the newsletter list: bounces and duplicates removed', 'Imported the sign-ups from the website form', 'Segmented the list for the spring offer'],
  supplies: ['Ordered printer paper, toner and envelopes', 'Compared three suppliers for the new uniforms', 'Restocked the reception supplies'],
  mailings: ['Sent the monthly newsletter', 'Posted the reminder letters', 'Prepared and sent the customer survey'],
  'data-entry': ['Entered the week’s job sheets', 'Updated the CRM with new leads', 'Typed up the paper intake forms'],
  'confirming-appointments': ['Confirmed tomorrow’s appointments by phone', 'Sent reminders and rebooked two cancellations', 'Confirmed next week’s site visits'],
  screening: ['Screened the inbox and flagged three urgent emails', 'Answered the phone line and took messages', 'Triage of new enquiries'],
  'ad-copy': ['Drafted the copy for the autumn campaign', 'Wrote three variants of the listing ad', 'Edited the brochure text'],
  'social-media': ['Scheduled the week’s posts', 'Replied to comments and messages', 'Prepared the monthly engagement report'],
  bookkeeping: ['Reconciled the bank feed', 'Chased two overdue invoices', 'Entered supplier bills and receipts'],
  website: ['Updated the opening hours and prices page', 'Fixed broken links and image sizes', 'Published the new blog post'],
  'calendar-management': ['Planned next week’s calendar', 'Moved meetings around the travel day', 'Blocked focus time and sent the agenda'],
  'sales-pipeline': ['Updated the pipeline and follow-ups', 'Prepared the weekly sales report', 'Followed up on stalled proposals'],
  'booking-appointments': ['Booked the quarterly client reviews', 'Booked travel and the venue for the offsite', 'Booked the new patient assessments'],
  decisions: ['Chose the courier for the urgent documents', 'Approved the routine supplier renewals', 'Handled the rescheduling requests'],
};

// ---------------------------------------------------------------- helpers

/** FNV-1a: a stable pseudo-random number per key, so the plan is the same for the same instant. */
export function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const iso = (dt: DateTime): string => dt.toUTC().toISO({ suppressMilliseconds: false })!;
/** Billed minutes under the demo agency's rounding (15 minutes, up). */
export const billedOf = (minutes: number, billable: boolean): number => (billable ? Math.ceil(minutes / DEMO_SETTINGS.roundingMinutes) * DEMO_SETTINGS.roundingMinutes : 0);

/** How many entries an engagement logs in a week. */
const entriesPerWeek = (e: DemoEngagement): number => (e.kind === 'full-time' ? 5 : e.weeklyHours <= 10 ? 2 : 3);
/** Weekdays (0 Monday .. 4 Friday) the k-th engagement of an assistant logs on: spread, never two in a row when it can. */
const logDays = (n: number, k: number): number[] => (n >= 5 ? [0, 1, 2, 3, 4] : [0, 2, 4, 1].slice(0, n).map((d) => (d + k) % 5));

// ---------------------------------------------------------------- the plan

export function planDemoAgency(nowDate: Date): DemoPlan {
  const now = DateTime.fromJSDate(nowDate, { zone: AGENCY_ZONE });
  const latestEnd = nowDate.getTime() - 2 * 60_000;
  const thisMonday = now.startOf('week');
  const mondayOf = (week: number) => thisMonday.plus({ weeks: week });
  const firstMonday = mondayOf(-WEEKS_BACK);
  const month = now.toFormat('yyyy-MM');
  const weeks = Array.from({ length: WEEKS_BACK + 2 }, (_, i) => i - WEEKS_BACK).map((week) => ({ week, monday: mondayOf(week).toISODate()! }));

  const assistants = DEMO_ASSISTANTS.map((a) => ({ ...a, workingHours: a.workingHours.map((w) => ({ ...w })), skills: [...a.skills] }));
  const clients = DEMO_CLIENTS.map((c) => ({ ...c }));
  const assistantOf = new Map(assistants.map((a) => [a.key, a]));
  const clientOf = new Map(clients.map((c) => [c.key, c]));
  const engagements: DemoEngagement[] = ENGAGEMENT_ROWS.map((r) => ({
    key: r.key,
    clientKey: r.client,
    assistantKey: r.assistant,
    kind: r.kind ?? 'part-time',
    weeklyHours: r.weeklyHours,
    startsOn: firstMonday.minus({ days: r.startedDaysBefore }).toISODate()!,
    noticePeriodDays: r.noticePeriodDays ?? 30,
    phase: r.phase,
    plan: r.plan,
    duties: r.duties,
    meeting: r.meeting ?? 'check-in',
    role: r.role ?? null,
  }));
  const engagementsOf = (assistantKey: string) => engagements.filter((e) => e.assistantKey === assistantKey);

  // ------------------------------------------------------------ time
  const entries: DemoEntry[] = [];
  /** Where each assistant's day ends (local), for the retainer's extra hours after it. */
  const dayEnds = new Map<string, DateTime>();
  const push = (e: DemoEngagement, startedAt: DateTime, minutes: number, salt: string, forceBillable = false) => {
    const a = assistantOf.get(e.assistantKey)!;
    const h = hashOf(`${e.key}/${salt}`);
    const category = e.duties[h % e.duties.length];
    const billable = forceBillable || h % 13 !== 0;
    const note = NOTES[category][(h >>> 8) % NOTES[category].length];
    const s = iso(startedAt);
    entries.push({
      key: `${e.key}/${salt}`,
      engagementKey: e.key,
      assistantKey: e.assistantKey,
      category,
      startedAt: s,
      endedAt: iso(startedAt.plus({ minutes })),
      billable,
      notes: billable ? note : `${note} (not billed: redone after the client's system outage)`,
      isoWeek: isoWeekOf(s, a.timezone),
      month: monthOf(s, AGENCY_ZONE),
    });
  };
  const retainerKey = RETAINER_80.key;
  for (const a of assistants) {
    const mine = engagementsOf(a.key);
    for (let week = -WEEKS_BACK; week <= 0; week++) {
      for (let day = 0; day < 5; day++) {
        const date = mondayOf(week).plus({ days: day }).toISODate()!;
        let cursor = DateTime.fromISO(`${date}T09:00`, { zone: a.timezone });
        mine.forEach((e, k) => {
          const n = entriesPerWeek(e);
          if (!logDays(n, k).includes(day) || date < e.startsOn) return;
          // the silent engagement's assistant stopped logging three weeks ago
          if (e.role === 'silent' && week > -3) return;
          const h = hashOf(`${e.key}/${week}/${day}`);
          const share = (e.weeklyHours * 60 * (0.84 + (h % 13) / 100)) / n;
          const minutes = Math.max(20, Math.round(share) - 7 + ((h >>> 4) % 15));
          if (cursor.plus({ minutes }).toMillis() > latestEnd) return;
          push(e, cursor, minutes, `${week}/${day}`);
          cursor = cursor.plus({ minutes: minutes + 15 + ((h >>> 9) % 4) * 5 });
        });
        dayEnds.set(`${a.key}/${date}`, cursor);
      }
    }
  }

  // The retainer past 80 %: extra hours this month (a busy exam season) until about 85 % of its
  // included hours, after the assistant's other work of the day, on the month's days so far.
  const r = engagements.find((e) => e.key === retainerKey)!;
  const rAssistant = assistantOf.get(r.assistantKey)!;
  const monthStart = DateTime.max(now.startOf('month'), DateTime.fromJSDate(nowDate, { zone: 'UTC' }).startOf('month'));
  const usedThisMonth = () => entries.filter((x) => x.engagementKey === retainerKey && Date.parse(x.startedAt) >= monthStart.toMillis() && x.billable).reduce((s, x) => s + billedOf(minutesOf(x), true), 0);
  const target = RETAINER_80.includedHours * 60 * RETAINER_80.target;
  const days: string[] = [];
  for (let d = monthStart.setZone(rAssistant.timezone).startOf('day'); d.toMillis() < latestEnd; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  // working days first, then the weekend's: after the day's other work (or from 10:00) until 22:00,
  // in sittings of at most 3h30
  const ordered = [...days.filter((d) => DateTime.fromISO(d).weekday <= 5), ...days.filter((d) => DateTime.fromISO(d).weekday > 5)];
  for (const date of ordered) {
    const dayEnd = dayEnds.get(`${rAssistant.key}/${date}`);
    let from = DateTime.max(dayEnd ? dayEnd.plus({ minutes: 30 }) : DateTime.fromISO(`${date}T10:00`, { zone: rAssistant.timezone }), monthStart);
    const until = Math.min(latestEnd, DateTime.fromISO(`${date}T22:00`, { zone: rAssistant.timezone }).toMillis());
    for (let sitting = 0; usedThisMonth() < target; sitting++) {
      const room = Math.floor((until - from.toMillis()) / 60_000);
      const minutes = Math.min(210 - 4, room, Math.ceil(target - usedThisMonth()) + 7);
      if (minutes < 5) break;
      push(r, from, minutes, `extra/${date}/${sitting}`, true);
      from = from.plus({ minutes: minutes + 30 });
    }
  }
  // in the first hours of a month, a short sitting just before now (the month has nothing else yet)
  if (usedThisMonth() === 0) {
    const from = DateTime.max(monthStart, DateTime.fromMillis(latestEnd - 120 * 60_000, { zone: rAssistant.timezone }));
    const minutes = Math.floor((latestEnd - from.toMillis()) / 60_000);
    if (minutes >= 1) push(r, from, minutes, 'extra/first-hours', true);
  }
  const usedMinutes = usedThisMonth();
  // Early in a month there may not be enough of it yet: the retainer then includes fewer hours, so that
  // what was used is still past 80 % of it (a quarter of an hour at least).
  const includedMinutes = usedMinutes >= RETAINER_80.includedHours * 60 * 0.8 ? RETAINER_80.includedHours * 60 : Math.max(15, Math.floor(usedMinutes / 0.85 / 15) * 15);
  if (includedMinutes !== RETAINER_80.includedHours * 60) {
    const hours = includedMinutes / 60;
    r.plan = retainer(hours * RETAINER_80.hourlyFee, hours, RETAINER_80.overage, 'GBP', false);
  }
  entries.sort((x, y) => x.startedAt.localeCompare(y.startedAt) || x.key.localeCompare(y.key));

  // ------------------------------------------------------------ timesheets
  const sheets: DemoSheet[] = [];
  const weekIndex = (monday: string) => weeks.find((w) => w.monday === monday)!.week;
  const seen = new Set<string>();
  for (const x of entries) {
    const id = `${x.engagementKey}/${x.isoWeek}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const e = engagements.find((g) => g.key === x.engagementKey)!;
    const a = assistantOf.get(e.assistantKey)!;
    const week = weekIndex(DateTime.fromISO(x.startedAt, { zone: a.timezone }).startOf('week').toISODate()!);
    let outcome: SheetOutcome;
    // the older weeks the agency approved on the clients' behalf when it moved to vaops (one week at a
    // time for everyone), save one a client rejected first; the last two weeks clients approve
    // themselves, and some of last week still waits; this week is open, but for the retainer's: all of
    // its weeks are approved, since its month's approved time is what the alert counts
    if (week === -5 && e.key === 'marlow-james') outcome = 'rejected-then-approved';
    else if (week <= -3) outcome = 'approved-by-agency';
    else if (e.key === retainerKey) outcome = 'approved-by-client';
    else if (week === 0) outcome = 'open';
    else if (week === -1) outcome = hashOf(e.key) % 5 < 3 ? 'approved-by-client' : 'submitted';
    else outcome = 'approved-by-client';
    sheets.push({
      engagementKey: e.key,
      assistantKey: e.assistantKey,
      clientKey: e.clientKey,
      isoWeek: x.isoWeek,
      week,
      outcome,
      rejection: outcome === 'rejected-then-approved' ? 'Please split the long entry by project before we approve.' : null,
      correction: outcome === 'rejected-then-approved' ? 'Screened calls and email: 60 % for the Harwell library project, 40 % for the Marlow office' : null,
    });
  }

  // ------------------------------------------------------------ the calendar
  // Every engagement has a weekly call, booked as one series, on a weekday of its own: first at 03:00
  // UTC for the assistants in Manila (11:00 there), at 15:00 UTC for the others (afternoon in London,
  // morning in New York and Buenos Aires), so that the calls of many assistants share an instant. A
  // series repeats at its local time in the client's zone, so a clock change moves it by an hour.
  const series: DemoSeries[] = [];
  const appointments: DemoAppointment[] = [];
  const changes = new Map<string, Omit<DemoChange, 'at' | 'startsAt' | 'endsAt'> & { hoursBefore: number }>([
    ['pacific-joshua/-6', { type: 'reschedule', by: 'assistant', late: true, hoursBefore: 3, reason: 'Power cut in Quezon City this morning: moving the call an hour earlier while the generator runs.' }],
    ['bluebird-emily/-4', { type: 'reschedule', by: 'assistant', late: true, hoursBefore: 3, reason: 'Caught in a site visit that ran over.' }],
    ['oakridge-lucia/-2', { type: 'reschedule', by: 'assistant', late: true, hoursBefore: 3, reason: 'Doctor’s appointment moved to this afternoon.' }],
    ['cedar-hannah/-5', { type: 'reschedule', by: 'client', late: true, hoursBefore: 3, reason: 'Client meeting with a supplier moved into this slot.' }],
    ['thames-olivia/-3', { type: 'cancel', by: 'assistant', late: true, hoursBefore: 2, reason: 'Off sick today.' }],
    ['bondi-maria/-7', { type: 'cancel', by: 'assistant', late: true, hoursBefore: 2, reason: 'Typhoon warning: internet down in Quezon City.' }],
    ['brightline-marcus/-6', { type: 'reschedule', by: 'client', late: false, hoursBefore: 72, reason: 'The clinic’s staff training takes the afternoon.' }],
    ['marlow-james/-2', { type: 'reschedule', by: 'client', late: false, hoursBefore: 72, reason: 'Partners’ away day.' }],
    ['maple-leaf-marcus/-4', { type: 'cancel', by: 'client', late: false, hoursBefore: 96, reason: 'Office closed for the move to the new depot.' }],
  ]);
  assistants.forEach((a, ai) => {
    const manila = a.timezone === ZONES.manila;
    engagementsOf(a.key).forEach((e, k) => {
      const weekday = manila ? [1, 3, 5][(ai + k) % 3] : ((ai + k) % 5) + 1;
      const c = clientOf.get(e.clientKey)!;
      const dayOf = (week: number) => mondayOf(week).plus({ days: weekday - 1 }).toISODate()!;
      let firstWeek = -WEEKS_BACK;
      while (dayOf(firstWeek) < e.startsOn) firstWeek++;
      const first = DateTime.fromISO(`${dayOf(firstWeek)}T${manila ? '03' : '15'}:00:00Z`).setZone(c.timezone);
      const s: DemoSeries = {
        key: e.key,
        engagementKey: e.key,
        assistantKey: a.key,
        kind: e.meeting,
        title: e.meeting === 'video-conference' ? `Weekly video call with ${c.name}` : `Weekly check-in with ${c.name}`,
        startsAt: iso(first),
        endsAt: iso(first.plus({ minutes: 30 })),
        count: 1 - firstWeek + 1,
      };
      series.push(s);
      for (let i = 0; i < s.count; i++) {
        const week = firstWeek + i;
        const start = first.plus({ weeks: i }).toUTC();
        const end = start.plus({ minutes: 30 });
        const key = `${e.key}/${week}`;
        const planned = changes.get(key);
        const change: DemoChange | null = planned
          ? {
              type: planned.type,
              by: planned.by,
              late: planned.late,
              reason: planned.reason,
              at: iso(start.minus({ hours: planned.hoursBefore })),
              ...(planned.type === 'reschedule' ? { startsAt: iso(start.minus({ hours: 1 })), endsAt: iso(end.minus({ hours: 1 })) } : {}),
            }
          : null;
        const startsAt = change?.startsAt ?? iso(start);
        const keptAt = DateTime.fromISO(startsAt).plus({ minutes: 25 });
        // the silent engagement's assistant stopped showing up too; now and then anyone misses a call
        const missed = (e.role === 'silent' && week >= -2) || hashOf(key) % 19 === 0;
        let outcome: AppointmentOutcome;
        if (change?.type === 'cancel') outcome = 'cancelled';
        else if (keptAt.toMillis() > nowDate.getTime()) outcome = 'upcoming';
        else outcome = missed ? 'no-show' : 'kept';
        appointments.push({
          key,
          seriesKey: s.key,
          occurrence: i,
          engagementKey: e.key,
          assistantKey: a.key,
          clientKey: c.key,
          kind: s.kind,
          title: s.title,
          startsAt: iso(start),
          endsAt: iso(end),
          change,
          outcome,
          keptAt: outcome === 'kept' ? iso(keptAt) : null,
        });
      }
    });
  });
  // two deadlines next week, on days and at hours of their own
  const deadline = (engagementKey: string, day: number, utcHour: string, title: string) => {
    const e = engagements.find((g) => g.key === engagementKey)!;
    const start = DateTime.fromISO(`${mondayOf(1).plus({ days: day }).toISODate()}T${utcHour}:00:00Z`, { zone: 'UTC' });
    appointments.push({ key: `${engagementKey}/deadline`, seriesKey: null, occurrence: null, engagementKey, assistantKey: e.assistantKey, clientKey: e.clientKey, kind: 'deadline', title, startsAt: iso(start), endsAt: iso(start.plus({ minutes: 30 })), change: null, outcome: 'upcoming', keptAt: null });
  };
  deadline('hawthorne-olivia', 3, '10', 'Quarterly VAT return due');
  deadline('redwood-emily', 2, '17', 'Client portfolio reports due');
  appointments.sort((x, y) => x.startsAt.localeCompare(y.startsAt) || x.key.localeCompare(y.key));

  // ------------------------------------------------------------ communications and reviews
  const startClock = firstMonday.minus({ days: 3 }).set({ hour: 16 });
  const communications: DemoCommunication[] = [];
  for (const e of engagements) {
    const mine = entries.filter((x) => x.engagementKey === e.key);
    communications.push({ key: `${e.key}/kick-off`, engagementKey: e.key, channel: 'call', occurredAt: iso(startClock.minus({ minutes: 30 })), summary: 'Kick-off call: time, timesheets and the calendar move to vaops on Monday.' });
    if (e.role === 'silent') {
      const at = mondayOf(-4).plus({ days: 1, hours: 16 });
      communications.push({ key: `${e.key}/message`, engagementKey: e.key, channel: 'message', occurredAt: iso(at), summary: 'Sent the mailing proof for approval.' });
      continue;
    }
    const last = mine.at(-1);
    if (last) {
      const at = DateTime.fromISO(last.endedAt).plus({ minutes: 12 });
      if (at.toMillis() <= nowDate.getTime()) {
        communications.push({ key: `${e.key}/message`, engagementKey: e.key, channel: 'message', occurredAt: iso(at), summary: `Weekly status update sent (${last.category.replace(/-/g, ' ')}).` });
      }
    }
  }
  // A long call every two weeks, asked for by two clients: one is on time, one is overdue.
  const calls = (engagementKey: string, channel: CommunicationChannel, daysAgo: number[], summary: string) => {
    for (const d of daysAgo) {
      communications.push({ key: `${engagementKey}/review/${d}`, engagementKey, channel, occurredAt: iso(now.minus({ days: d }).startOf('hour').minus({ hours: 2 })), summary });
    }
  };
  calls('redwood-emily', 'video', [34, 20, 6], 'Fortnightly review: pipeline, calendar and the next two weeks.');
  calls('brightline-marcus', 'call', [33, 19], 'Fortnightly review of the front desk workload.');
  communications.sort((x, y) => x.occurredAt.localeCompare(y.occurredAt));
  const reviewCadences = engagements.filter((e) => e.role === 'review-on-time' || e.role === 'review-overdue').map((e) => ({ engagementKey: e.key, everyDays: 14 }));

  return {
    now: nowDate.toISOString(),
    weeks,
    month,
    assistants,
    clients,
    engagements,
    entries,
    sheets,
    series,
    appointments,
    startClock: iso(startClock),
    communications,
    reviewCadences,
    phaseChanges: [...DEMO_PHASE_CHANGES],
    notices: [...DEMO_NOTICES],
    retainer: { engagementKey: retainerKey, month: monthStart.toFormat('yyyy-MM'), usedMinutes, includedMinutes },
  };
}

export const minutesOf = (x: Pick<DemoEntry, 'startedAt' | 'endedAt'>): number => Math.floor((Date.parse(x.endedAt) - Date.parse(x.startedAt)) / 60_000);

/** Whether each engagement logs only on categories its phase allows (a check of the plan itself). */
export const dutiesAllowed = (e: Pick<DemoEngagement, 'phase' | 'duties'>): boolean => e.duties.every((d) => isCategoryAllowedInPhase(e.phase, d));
