import request from 'supertest';
import { startService, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

/**
 * One agency lives through March 2026 on the four running services (clients, scheduling,
 * time-tracking, billing: one topic prefix, every service on its test clock), driven ONLY through the
 * public HTTP API. Five assistants (London, New York, Manila, Lagos, Buenos Aires), six clients, six
 * engagements and a seventh by handover: Dara gives notice on Orchard's retainer, the agency hands it over
 * on 16 March to Eva (the first of the matches), Orchard's Monday check-in goes on with Eva at 09:00 in
 * Chicago, and March's invoice for Orchard is split by days between the two engagements. At the end the agency
 * erases, on request, the people who left (Kestrel's contact and Dara): their names go, every figure stays.
 * US clocks change on Sunday 8 March, European ones on Sunday 29 March.
 *
 * Every figure checked at the end (invoice lines, payouts, margins, reliability records, utilization)
 * is a constant computed by hand below, with its arithmetic in a comment; none is computed by the code
 * under test. Agency rounding: 6 minutes, nearest, half up: billed = round(actual / 6) × 6.
 */

/** Per step: generous, so a slow machine fails one step clearly instead of letting it run on under the next. */
const STEP_MS = 120_000;
const PERIOD = '2026-03';

type Svc = 'clients' | 'scheduling' | 'timeTracking' | 'billing';
type Who = 'ana' | 'ben' | 'chen' | 'dara' | 'eva';
type ClientKey = 'jones' | 'brightside' | 'kestrel' | 'harbor' | 'northwind' | 'orchard';
/** E1-E6 are signed on 27 February; E7 is Eva's, started by the handover of E6. */
type Eng = 'E1' | 'E2' | 'E3' | 'E4' | 'E5' | 'E6' | 'E7';
type Week = '2026-W10' | '2026-W11' | '2026-W12' | '2026-W13' | '2026-W14';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const weekdays = (days: number[], start: string, end: string) => days.map((day) => ({ day, start, end }));

// ---------------------------------------------------------------- the agency

const SETTINGS = { timezone: 'America/New_York', minimumNoticeHours: 12, bufferMinutes: 15, roundingMinutes: 6, roundingMode: 'nearest', silenceWorkingDays: 5 };

const ASSISTANTS: Record<Who, { name: string; timezone: string; weeklyCapacityHours: number; payRate: number; skills?: string[]; workingHours: { day: number; start: string; end: string }[] }> = {
  ana: { name: 'Ana Lima', timezone: 'Europe/London', weeklyCapacityHours: 30, payRate: 2215, workingHours: weekdays([1, 2, 3, 4, 5], '09:00', '17:00') },
  ben: { name: 'Ben Ortiz', timezone: 'America/New_York', weeklyCapacityHours: 25, payRate: 1850, workingHours: weekdays([1, 2, 3, 4, 5], '09:00', '17:00') },
  // a night shift for American clients: Monday-Friday evenings and the small hours after them
  chen: { name: 'Chen Reyes', timezone: 'Asia/Manila', weeklyCapacityHours: 20, payRate: 1275, workingHours: [...weekdays([1, 2, 3, 4, 5], '21:00', '24:00'), ...weekdays([2, 3, 4, 5, 6], '00:00', '05:00')] },
  // Lagos has no summer time (UTC+1); Buenos Aires neither (UTC-3): 12:00-16:00 UTC is in both days
  dara: { name: 'Dara Okafor', timezone: 'Africa/Lagos', weeklyCapacityHours: 20, payRate: 1500, workingHours: weekdays([1, 2, 3, 4, 5], '09:00', '17:00') },
  eva: { name: 'Eva Duarte', timezone: 'America/Argentina/Buenos_Aires', weeklyCapacityHours: 20, payRate: 1620, skills: ['florals'], workingHours: weekdays([1, 2, 3, 4, 5], '09:00', '17:00') },
};

const CLIENTS: Record<ClientKey, { name: string; timezone: string }> = {
  jones: { name: 'Jones Realty', timezone: 'America/New_York' },
  brightside: { name: 'Brightside Dental', timezone: 'America/Chicago' },
  kestrel: { name: 'Kestrel Legal', timezone: 'Europe/London' },
  harbor: { name: 'Harbor Bakery', timezone: 'Europe/Berlin' },
  northwind: { name: 'Northwind Studio', timezone: 'America/Los_Angeles' },
  orchard: { name: 'Orchard Florists', timezone: 'America/Chicago' },
};

const ENGAGEMENTS: Record<Exclude<Eng, 'E7'>, { client: ClientKey; assistant: Who; weeklyHours: number; noticePeriodDays: number; phase?: 1 | 2 | 3; plan: object }> = {
  E1: { client: 'jones', assistant: 'ana', weeklyHours: 8, noticePeriodDays: 30, phase: 3, plan: { type: 'retainer', monthlyFee: usd(180000), includedHours: 20, overageRate: usd(6000), rollover: true } },
  E2: { client: 'brightside', assistant: 'ana', weeklyHours: 6, noticePeriodDays: 30, phase: 1, plan: { type: 'hourly', rate: usd(4245) } },
  E3: { client: 'kestrel', assistant: 'ben', weeklyHours: 6, noticePeriodDays: 14, phase: 2, plan: { type: 'retainer', monthlyFee: usd(124000), includedHours: 10, overageRate: usd(5000), rollover: false } },
  E4: { client: 'harbor', assistant: 'ben', weeklyHours: 10, noticePeriodDays: 30, plan: { type: 'hourly', rate: usd(3875) } }, // no phase: every category
  E5: { client: 'northwind', assistant: 'chen', weeklyHours: 15, noticePeriodDays: 30, phase: 1, plan: { type: 'hourly', rate: usd(3000) } },
  // 930.00 a month = 30.00 a day in March, so the split by days is exact
  E6: { client: 'orchard', assistant: 'dara', weeklyHours: 5, noticePeriodDays: 21, phase: 2, plan: { type: 'retainer', monthlyFee: usd(93000), includedHours: 10, overageRate: usd(4800), rollover: false } },
};

/** The handover of E6 to Eva: E7 starts on 16 March with the same client, hours, plan and phase II. */
const HANDOVER = { from: 'E6', to: 'E7', replacement: 'eva', handoverOn: '2026-03-16', startingPhase: 2 } as const;
const PARTIES: Record<Eng, { client: ClientKey; assistant: Who }> = { ...ENGAGEMENTS, E7: { client: 'orchard', assistant: 'eva' } };

// ---------------------------------------------------------------- the time logged, week by week

interface Spec {
  key: string;
  e: Eng;
  category: string;
  from: string;
  to: string;
  billable?: boolean;
  /** whole minutes between from and to */
  actual: number;
  /** round(actual / 6) × 6, half up; 0 when not billable */
  billed: number;
}

/** Weeks are ISO weeks in the ASSISTANT's zone; months are the agency's (New York). */
const TIME: Record<Week, Spec[]> = {
  '2026-W10': [
    { key: 'a1', e: 'E1', category: 'calendar-management', from: '2026-03-02T09:00:00Z', to: '2026-03-02T12:00:00Z', actual: 180, billed: 180 },
    { key: 'a2', e: 'E1', category: 'booking-appointments', from: '2026-03-04T13:00:00Z', to: '2026-03-04T15:07:00Z', actual: 127, billed: 126 }, // 127/6 = 21.2 → 21 × 6
    { key: 'a3', e: 'E1', category: 'sales-pipeline', from: '2026-03-05T09:00:00Z', to: '2026-03-05T11:52:00Z', actual: 172, billed: 174 }, // 28.7 → 29 × 6
    { key: 'c1', e: 'E3', category: 'bookkeeping', from: '2026-03-02T14:00:00Z', to: '2026-03-02T16:30:00Z', actual: 150, billed: 150 },
    { key: 'd2', e: 'E4', category: 'website', from: '2026-03-03T15:00:00Z', to: '2026-03-03T17:41:00Z', actual: 161, billed: 162 }, // 26.8 → 27 × 6
    // the US DST night: 01:30 EST to 03:30 EDT in New York reads 2 hours on the wall clock, 1 hour worked
    { key: 'd1', e: 'E4', category: 'website', from: '2026-03-08T06:30:00Z', to: '2026-03-08T07:30:00Z', actual: 60, billed: 60 },
    { key: 'e1', e: 'E5', category: 'data-entry', from: '2026-03-03T13:00:00Z', to: '2026-03-03T15:50:00Z', actual: 170, billed: 168 }, // 28.3 → 28 × 6
    { key: 'e2', e: 'E5', category: 'mailing-lists', from: '2026-03-05T13:00:00Z', to: '2026-03-05T16:00:00Z', actual: 180, billed: 180 },
    { key: 'f1', e: 'E6', category: 'bookkeeping', from: '2026-03-03T09:00:00Z', to: '2026-03-03T11:00:00Z', actual: 120, billed: 120 },
    { key: 'f2', e: 'E6', category: 'screening', from: '2026-03-05T13:00:00Z', to: '2026-03-05T14:47:00Z', actual: 107, billed: 108 }, // 17.8 → 18 × 6
  ],
  '2026-W11': [
    { key: 'a4', e: 'E1', category: 'calendar-management', from: '2026-03-10T09:00:00Z', to: '2026-03-10T13:00:00Z', actual: 240, billed: 240 },
    { key: 'a5', e: 'E1', category: 'sales-pipeline', from: '2026-03-12T09:00:00Z', to: '2026-03-12T12:09:00Z', actual: 189, billed: 192 }, // 31.5 → half up 32 × 6
    { key: 'b1', e: 'E2', category: 'data-entry', from: '2026-03-09T13:30:00Z', to: '2026-03-09T15:10:00Z', actual: 100, billed: 102 }, // 16.7 → 17 × 6
    { key: 'b2', e: 'E2', category: 'mailings', from: '2026-03-12T13:00:00Z', to: '2026-03-12T14:00:00Z', actual: 60, billed: 60 },
    { key: 'c2', e: 'E3', category: 'screening', from: '2026-03-11T13:00:00Z', to: '2026-03-11T16:20:00Z', actual: 200, billed: 198 }, // 33.3 → 33 × 6
    { key: 'd3', e: 'E4', category: 'social-media', from: '2026-03-10T14:00:00Z', to: '2026-03-10T16:39:00Z', actual: 159, billed: 162 }, // 26.5 → half up 27 × 6
    { key: 'e3', e: 'E5', category: 'data-entry', from: '2026-03-10T13:00:00Z', to: '2026-03-10T14:00:00Z', actual: 60, billed: 60 },
    { key: 'f3', e: 'E6', category: 'bookkeeping', from: '2026-03-10T09:00:00Z', to: '2026-03-10T12:00:00Z', actual: 180, billed: 180 },
    { key: 'f4', e: 'E6', category: 'screening', from: '2026-03-12T14:00:00Z', to: '2026-03-12T15:32:00Z', actual: 92, billed: 90 }, // 15.3 → 15 × 6
  ],
  '2026-W12': [
    { key: 'a6', e: 'E1', category: 'calendar-management', from: '2026-03-16T09:00:00Z', to: '2026-03-16T12:30:00Z', actual: 210, billed: 210 },
    { key: 'a7', e: 'E1', category: 'booking-appointments', from: '2026-03-18T10:00:00Z', to: '2026-03-18T12:44:00Z', actual: 164, billed: 162 }, // 27.3 → 27 × 6
    // after the promotion to phase 2 (16 March 14:00Z): administrative duties
    { key: 'b3', e: 'E2', category: 'bookkeeping', from: '2026-03-17T13:00:00Z', to: '2026-03-17T15:05:00Z', actual: 125, billed: 126 }, // 20.8 → 21 × 6
    { key: 'b4', e: 'E2', category: 'screening', from: '2026-03-16T14:30:00Z', to: '2026-03-16T15:30:00Z', actual: 60, billed: 60 },
    { key: 'c3', e: 'E3', category: 'bookkeeping', from: '2026-03-18T13:00:00Z', to: '2026-03-18T15:10:00Z', actual: 130, billed: 132 }, // 21.7 → 22 × 6
    // 19:00-21:30 on 19 March in New York (the agency's zone), already the 20th in UTC: still inside the engagement
    { key: 'c5', e: 'E3', category: 'screening', from: '2026-03-19T23:00:00Z', to: '2026-03-20T01:30:00Z', actual: 150, billed: 150 },
    { key: 'd4', e: 'E4', category: 'ad-copy', from: '2026-03-17T13:00:00Z', to: '2026-03-17T14:22:00Z', actual: 82, billed: 84 }, // 13.7 → 14 × 6
    // Sunday in UTC, but Monday 16 March 01:00 in Manila: week 12 of the assistant
    { key: 'e4', e: 'E5', category: 'data-entry', from: '2026-03-15T17:00:00Z', to: '2026-03-15T19:30:00Z', actual: 150, billed: 150 },
    { key: 'e5', e: 'E5', category: 'mailing-lists', from: '2026-03-18T13:00:00Z', to: '2026-03-18T15:13:00Z', actual: 133, billed: 132 }, // 22.2 → 22 × 6
    // Eva, from the handover on: the same duties (phase II kept)
    { key: 'g1', e: 'E7', category: 'bookkeeping', from: '2026-03-17T13:00:00Z', to: '2026-03-17T16:00:00Z', actual: 180, billed: 180 },
    { key: 'g2', e: 'E7', category: 'screening', from: '2026-03-19T14:00:00Z', to: '2026-03-19T15:13:00Z', actual: 73, billed: 72 }, // 12.2 → 12 × 6
  ],
  '2026-W13': [
    { key: 'a8', e: 'E1', category: 'calendar-management', from: '2026-03-24T09:00:00Z', to: '2026-03-24T12:00:00Z', actual: 180, billed: 180 },
    // the EU DST night: 00:00 GMT to 03:00 BST in London reads 3 hours, 2 hours worked
    { key: 'a9', e: 'E1', category: 'sales-pipeline', from: '2026-03-29T00:00:00Z', to: '2026-03-29T02:00:00Z', actual: 120, billed: 120 },
    { key: 'a11', e: 'E1', category: 'data-entry', from: '2026-03-27T09:00:00Z', to: '2026-03-27T09:45:00Z', billable: false, actual: 45, billed: 0 },
    { key: 'b5', e: 'E2', category: 'screening', from: '2026-03-25T14:00:00Z', to: '2026-03-25T16:54:00Z', actual: 174, billed: 174 }, // 29.0 → 29 × 6
    { key: 'd5', e: 'E4', category: 'website', from: '2026-03-24T13:00:00Z', to: '2026-03-24T15:55:00Z', actual: 175, billed: 174 }, // 29.2 → 29 × 6
    { key: 'e6', e: 'E5', category: 'data-entry', from: '2026-03-24T13:00:00Z', to: '2026-03-24T16:00:00Z', actual: 180, billed: 180 }, // adjusted after approval, below
    { key: 'e7', e: 'E5', category: 'mailing-lists', from: '2026-03-26T13:00:00Z', to: '2026-03-26T14:03:00Z', actual: 63, billed: 66 }, // 10.5 → half up 11 × 6
    { key: 'g3', e: 'E7', category: 'bookkeeping', from: '2026-03-24T13:00:00Z', to: '2026-03-24T15:20:00Z', actual: 140, billed: 138 }, // 23.3 → 23 × 6
    { key: 'g4', e: 'E7', category: 'screening', from: '2026-03-26T13:00:00Z', to: '2026-03-26T14:00:00Z', actual: 60, billed: 60 },
  ],
  '2026-W14': [
    { key: 'a10', e: 'E1', category: 'calendar-management', from: '2026-03-30T08:00:00Z', to: '2026-03-30T10:00:00Z', actual: 120, billed: 120 },
    // 22:00-23:02 on 31 March in New York: April in UTC, March for the agency
    { key: 'd6', e: 'E4', category: 'social-media', from: '2026-04-01T02:00:00Z', to: '2026-04-01T03:02:00Z', actual: 62, billed: 60 }, // 10.3 → 10 × 6
  ],
};

/** e6 corrected after approval to 13:00-16:37: 217 min → billed 216 (36.2 → 36 × 6); the adjusting entry is the difference. */
const ADJUSTMENT = { of: 'e6', to: '2026-03-24T16:37:00Z', actual: 217 - 180, billed: 216 - 180 }; // +37 actual, +36 billed

// ---------------------------------------------------------------- the figures, by hand

/**
 * Approved billable minutes of March per engagement (sums of the `billed` column above):
 * E1  W10 180+126+174 + W11 240+192 + W12 210+162 + W13 180+120+0 + W14 120 = 1704 (28h24)
 * E2  W11 102+60 + W12 126+60 + W13 174                                       =  522 (8h42)
 * E3  W10 150 + W11 198 + W12 132+150                                          =  630 (10h30)
 * E4  W10 162+60 + W11 162 + W12 84 + W13 174 + W14 60                         =  702 (11h42)
 * E5  W10 168+180 + W11 60 + W12 150+132 + W13 180+66 + adjustment 36          =  972 (16h12)
 * E6  W10 120+108 + W11 180+90                                                 =  498 (8h18)
 * E7  W12 180+72 + W13 138+60                                                  =  450 (7h30)
 */
const BILLED: Record<Eng, number> = { E1: 1704, E2: 522, E3: 630, E4: 702, E5: 972, E6: 498, E7: 450 };

/** Every invoice of March, line by line (docs/billing.md: minutes × rate / 60, rounded half up once per line). */
type Line = { e: Eng; amount: number; mentions: string[] };
const INVOICES: Record<ClientKey, Line | { lines: Line[]; amount: number }> = {
  // retainer, whole month: fee 1,800.00; 1704 used − 1200 included = 504 min overage at 60.00/h = 504 × 6000 / 60 = 504.00;
  // rollover plan, but nothing rolls over from before the engagement began → 180000 + 50400 = 230400
  jones: { e: 'E1', amount: 230400, mentions: ['28h24 used of 20h00 included', 'overage 8h24 at 6000 per hour'] },
  // hourly: 522 min at 42.45/h = 522 × 4245 / 60 = 36931.5 → half up → 36932
  brightside: { e: 'E2', amount: 36932, mentions: ['8h42 at 4245 per hour'] },
  // retainer ending on 20 March by notice: active 1-19 March = 19 of 31 days (20 March is the first day it is no
  // longer in force: no time nor appointment is taken that day). Fee 124000 × 19/31 = 76000 exactly; included
  // 600 min × 19/31 = 367.74 → 368; overage 630 − 368 = 262 min at 50.00/h = 262 × 5000 / 60 = 21833.33 → 21833;
  // 76000 + 21833 = 97833
  kestrel: { e: 'E3', amount: 97833, mentions: ['prorated 19/31 days', '10h30 used of 6h08 included', 'overage 4h22 at 5000 per hour'] },
  // hourly: 702 min at 38.75/h = 702 × 3875 / 60 = 45337.5 → half up → 45338
  harbor: { e: 'E4', amount: 45338, mentions: ['11h42 at 3875 per hour'] },
  // hourly, the adjusting entry included: 972 min at 30.00/h = 972 × 3000 / 60 = 48600
  northwind: { e: 'E5', amount: 48600, mentions: ['16h12 at 3000 per hour'] },
  // split by days at the handover on 16 March: Dara's E6 bills 1-15 March, Eva's E7 16-31 March (15 + 16 = 31
  // days: the month's fee once). E6 stays in force until its notice ends on 25 March, but its fee stops the day
  // before the handover.
  orchard: {
    amount: 120840, // 61640 + 59200
    lines: [
      // fee 93000 × 15/31 = 45000; included 600 × 15/31 = 290.32 → 290; 498 − 290 = 208 min at 48.00/h = 208 × 4800 / 60 = 16640
      { e: 'E6', amount: 61640, mentions: ['prorated 15/31 days, handed over on 2026-03-16', '8h18 used of 4h50 included', 'overage 3h28 at 4800 per hour'] },
      // fee 93000 × 16/31 = 48000; included 600 × 16/31 = 309.68 → 310; 450 − 310 = 140 min at 48.00/h = 11200
      { e: 'E7', amount: 59200, mentions: ['prorated 16/31 days', '7h30 used of 5h10 included', 'overage 2h20 at 4800 per hour'] },
    ],
  },
};

/** Payouts: approved billable minutes × pay rate / 60, rounded half up once per assistant and period. */
const PAYOUTS: Record<Who, { billedMinutes: number; amount: number }> = {
  ana: { billedMinutes: 2226, amount: 82177 }, // E1 1704 + E2 522 = 2226 min at 22.15/h = 2226 × 2215 / 60 = 82176.5 → 82177
  ben: { billedMinutes: 1332, amount: 41070 }, // E3 630 + E4 702 = 1332 min at 18.50/h = 1332 × 1850 / 60 = 41070
  chen: { billedMinutes: 972, amount: 20655 }, // E5 972 min at 12.75/h = 972 × 1275 / 60 = 20655
  dara: { billedMinutes: 498, amount: 12450 }, // E6 498 min at 15.00/h = 498 × 1500 / 60 = 12450
  eva: { billedMinutes: 450, amount: 12150 }, // E7 450 min at 16.20/h = 450 × 1620 / 60 = 12150
};

/** Margins: revenue (invoice) − cost (each client's approved minutes × its assistant's pay rate, rounded once). */
const MARGINS = {
  clients: {
    jones: { revenue: 230400, cost: 62906, margin: 167494 }, // 1704 × 2215 / 60 = 62906
    brightside: { revenue: 36932, cost: 19271, margin: 17661 }, // 522 × 2215 / 60 = 19270.5 → 19271
    kestrel: { revenue: 97833, cost: 19425, margin: 78408 }, // 630 × 1850 / 60 = 19425
    harbor: { revenue: 45338, cost: 21645, margin: 23693 }, // 702 × 1850 / 60 = 21645
    northwind: { revenue: 48600, cost: 20655, margin: 27945 }, // 972 × 1275 / 60 = 20655
    orchard: { revenue: 120840, cost: 24600, margin: 96240 }, // Dara 12450 + Eva 12150
  } satisfies Record<ClientKey, object>,
  assistants: {
    ana: { revenue: 267332, cost: 82177, margin: 185155 }, // 230400 + 36932; 62906 + 19271
    ben: { revenue: 143171, cost: 41070, margin: 102101 }, // 97833 + 45338; 19425 + 21645
    chen: { revenue: 48600, cost: 20655, margin: 27945 },
    dara: { revenue: 61640, cost: 12450, margin: 49190 }, // her line of Orchard's invoice
    eva: { revenue: 59200, cost: 12150, margin: 47050 },
  } satisfies Record<Who, object>,
};

type Reliability = { kept: number; rescheduledInTime: number; rescheduledLate: number; cancelledInTime: number; cancelledLate: number; noShow: number };
const record = (r: Partial<Reliability>): Reliability => ({ kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0, ...r });

/**
 * Reliability (scheduling): kept and no-show appointments count for both parties; reschedules and
 * cancellations only for the side that made them (the agency counts for the assistant, the system for no one).
 */
const RELIABILITY = {
  assistants: {
    // kept: Jones 2, 9, 17 (moved), 30 March + Brightside review = 5; late reschedule of the review; no-show Jones 23 March
    ana: record({ kept: 5, rescheduledLate: 1, noShow: 1 }),
    // Harbor: 4 March moved late then kept, 11 March moved in time (20 h ahead, notice 12 h) then a no-show,
    // 19 March kept, 26 March cancelled late by the agency. Kestrel's late cancellation was the client's; the
    // system cancelled Kestrel's 24 March call when the engagement ended (counts for no one)
    ben: record({ kept: 2, rescheduledInTime: 1, rescheduledLate: 1, cancelledLate: 1, noShow: 1 }),
    // Northwind 11 and 18 March kept; the 25 March call was cancelled in time by the client
    chen: record({ kept: 2 }),
    // Orchard 2 and 9 March kept, and the handover meeting on her calendar; her 16, 23 and 30 March calls went
    // to Eva (cancelled on her calendar by the system: counts for no one)
    dara: record({ kept: 3 }),
    // the handover meeting and Orchard's 16, 23 and 30 March calls, taken over
    eva: record({ kept: 4 }),
  } satisfies Record<Who, Reliability>,
  clients: {
    jones: record({ kept: 4, rescheduledInTime: 1, noShow: 1 }), // 2, 9, 17, 30 kept; 16 → 17 moved in time; 23 no-show
    brightside: record({ kept: 1 }), // the review was moved late by the assistant, not by the client
    kestrel: record({ cancelledLate: 1 }), // 5 March cancelled 4 h ahead; 24 March cancelled by the system
    harbor: record({ kept: 2, noShow: 1 }), // Ben's and the agency's changes are not the client's
    northwind: record({ kept: 2, cancelledInTime: 1 }),
    orchard: record({ kept: 7 }), // 2 and 9 March with Dara, the meeting (one appointment on each calendar), 16, 23, 30 with Eva
  } satisfies Record<ClientKey, Reliability>,
};

/**
 * Utilization per assistant and ISO week: logged ACTUAL minutes (billable or not, adjusting entries signed,
 * each entry in the ISO week of its start in the assistant's own zone, as its timesheet) over the weekly
 * capacity (weeklyCapacityHours × 60). utilization = loggedMinutes / capacityMinutes.
 * Answered by the analytics service (GET /analytics/utilization?week=): see the describe at the end.
 */
const UTILIZATION: Record<'2026-W10' | '2026-W13', Record<Who, { loggedMinutes: number; capacityMinutes: number; utilization: number }>> = {
  // 2-8 March (US DST on Sunday 8)
  '2026-W10': {
    ana: { loggedMinutes: 479, capacityMinutes: 1800, utilization: 0.2661 }, // a1 180 + a2 127 + a3 172 = 479; 479 / (30 × 60) = 0.26611
    ben: { loggedMinutes: 371, capacityMinutes: 1500, utilization: 0.2473 }, // c1 150 + d2 161 + d1 60 (DST night) = 371; 371 / 1500 = 0.24733
    chen: { loggedMinutes: 350, capacityMinutes: 1200, utilization: 0.2917 }, // e1 170 + e2 180 = 350; 350 / 1200 = 0.29167
    dara: { loggedMinutes: 227, capacityMinutes: 1200, utilization: 0.1892 }, // f1 120 + f2 107 = 227; 227 / 1200 = 0.18917
    eva: { loggedMinutes: 0, capacityMinutes: 1200, utilization: 0 }, // nothing before her engagement begins
  },
  // 23-29 March (EU DST on Sunday 29)
  '2026-W13': {
    ana: { loggedMinutes: 519, capacityMinutes: 1800, utilization: 0.2883 }, // a8 180 + a9 120 (DST night) + a11 45 (not billable) + b5 174 = 519; 0.28833
    ben: { loggedMinutes: 175, capacityMinutes: 1500, utilization: 0.1167 }, // d5 175; 175 / 1500 = 0.11667
    chen: { loggedMinutes: 280, capacityMinutes: 1200, utilization: 0.2333 }, // e6 180 + adjustment 37 + e7 63 = 280; 280 / 1200 = 0.23333
    dara: { loggedMinutes: 0, capacityMinutes: 1200, utilization: 0 }, // handed over: still in notice, logs nothing
    eva: { loggedMinutes: 200, capacityMinutes: 1200, utilization: 0.1667 }, // g3 140 + g4 60 = 200; 200 / 1200 = 0.16667
  },
};

// ---------------------------------------------------------------- the suite

describe('a month of an agency: March 2026 across clients, scheduling, time-tracking and billing', () => {
  const svcs = {} as Record<Svc, RunningService>;
  const positions: Record<Svc, number> = { clients: 0, scheduling: 0, timeTracking: 0, billing: 0 };
  const prefix = `${uniqueName('month').replace(/[^a-zA-Z0-9]/g, '_')}.`;
  const agencyId = 'agency-march';
  const admin = tokenFor({ sub: 'ops-lead', agencyId, role: 'agency-admin' });
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

  const call = async (s: Svc, method: 'get' | 'post' | 'put', url: string, token: string, body: object | undefined, status: number) => {
    // reads of the service's own read models wait for what this suite wrote (read-after-write)
    const full = method === 'get' && positions[s] > 0 ? `${url}${url.includes('?') ? '&' : '?'}minPosition=${positions[s]}` : url;
    const req = request(svcs[s].url)[method](full).set(auth(token));
    const r = method === 'get' ? await req : await req.send(body ?? {});
    if (r.status !== status) throw new Error(`${s}: ${method.toUpperCase()} ${url} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
    if (typeof r.body?.position === 'number') positions[s] = Math.max(positions[s], r.body.position);
    return r;
  };
  const api = (s: Svc) => ({
    get: (url: string, token = admin, status = 200) => call(s, 'get', url, token, undefined, status),
    /** Reads another service's facts: no minPosition (its positions are of another topic). */
    peek: (url: string, token = admin) => request(svcs[s].url).get(url).set(auth(token)),
    post: (url: string, body: object, token = admin, status = 200) => call(s, 'post', url, token, body, status),
    put: (url: string, body: object, token = admin, status = 200) => call(s, 'put', url, token, body, status),
  });
  const cl = api('clients');
  const sc = api('scheduling');
  const tt = api('timeTracking');
  const bl = api('billing');
  const clock = (s: Svc, now: string) => call(s, 'put', '/_test/clock', admin, { now }, 200);

  const ids = { clients: {} as Record<ClientKey, string>, assistants: {} as Record<Who, string>, engagements: {} as Record<Eng, string> };
  const asClient = (c: ClientKey) => tokenFor({ sub: `exec-${c}`, agencyId, role: 'client', clientId: ids.clients[c] });
  const asAssistant = (a: Who) => tokenFor({ sub: `va-${a}`, agencyId, role: 'assistant', assistantId: ids.assistants[a] });
  const assistantOf = (e: Eng) => PARTIES[e].assistant;
  const clientOf = (e: Eng) => PARTIES[e].client;

  // appointments by name, and helpers on them
  const appt: Record<string, string> = {};
  const book = async (name: string, e: Eng, startsAt: string, endsAt: string, token: string, over: object = {}) => {
    const r = await sc.post('/appointments', { engagementId: ids.engagements[e], kind: 'check-in', startsAt, endsAt, ...over }, token, 201);
    appt[name] = r.body.id;
    return r.body;
  };
  const appointment = async (name: string) => (await sc.get(`/appointments/${appt[name]}`)).body;
  const day = async (date: string, q: string, token = admin) => (await sc.get(`/agenda?date=${date}&${q}`, token)).body.items;
  const keep = async (name: string, who: Who) => {
    await sc.post(`/appointments/${appt[name]}/kept`, {}, asAssistant(who));
    expect((await appointment(name)).status).toBe('kept');
  };
  const statusBecomes = (name: string, status: string, what: string) =>
    waitUntil(async () => (await sc.peek(`/appointments/${appt[name]}`)).body.status === status, { timeoutMs: 30_000, what });

  // time entries by key
  const entry: Record<string, string> = {};
  const log = async (spec: Spec, week: Week) => {
    const who = assistantOf(spec.e);
    const r = await tt.post('/time-entries', { engagementId: ids.engagements[spec.e], category: spec.category, startedAt: spec.from, endedAt: spec.to, billable: spec.billable ?? true }, asAssistant(who), 201);
    entry[spec.key] = r.body.id;
    expect((await tt.get(`/time-entries/${r.body.id}`, asAssistant(who))).body).toMatchObject({ actualMinutes: spec.actual, billedMinutes: spec.billed, isoWeek: week, status: 'open' });
  };
  const refused = async (e: Eng, category: string, from: string, to: string, code: string) => {
    const r = await tt.post('/time-entries', { engagementId: ids.engagements[e], category, startedAt: from, endedAt: to, billable: true }, asAssistant(assistantOf(e)), 409);
    expect(r.body.code).toBe(code);
  };
  const submit = (e: Eng, week: Week) => tt.post(`/timesheets/${ids.engagements[e]}/${week}/submit`, {}, asAssistant(assistantOf(e)));
  /** The week's time of every engagement: logged, submitted by the assistant, approved by the client. */
  const logAndApproveWeek = async (week: Week, skip: string[] = []) => {
    const specs = TIME[week].filter((s) => !skip.includes(s.key));
    for (const s of specs) await log(s, week);
    for (const e of [...new Set(TIME[week].map((s) => s.e))]) {
      await submit(e, week);
      await tt.post(`/timesheets/${ids.engagements[e]}/${week}/approve`, {}, asClient(clientOf(e)));
    }
  };

  beforeAll(async () => {
    const env = { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix, VAOPS_SCHEDULER_INTERVAL_MS: '200' };
    const names: [Svc, string][] = [['clients', 'clients'], ['scheduling', 'scheduling'], ['timeTracking', 'time-tracking'], ['billing', 'billing']];
    const started = await Promise.allSettled(names.map(([, app]) => startService(app, env)));
    started.forEach((r, i) => r.status === 'fulfilled' && (svcs[names[i][0]] = r.value));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    await clock('clients', '2026-02-27T12:00:00Z');
    await clock('scheduling', '2026-02-27T12:00:00Z');
    await clock('timeTracking', '2026-02-27T12:00:00Z');
    await clock('billing', '2026-02-27T12:00:00Z');
  }, 120_000);
  afterAll(async () => {
    await Promise.all(Object.values(svcs).map((s) => s?.stop()));
  });

  it('Friday 27 February: the agency sets its policies and signs 6 clients, 5 assistants and 6 engagements', async () => {
    await cl.put('/agency/settings', SETTINGS);
    for (const [key, c] of Object.entries(CLIENTS) as [ClientKey, (typeof CLIENTS)[ClientKey]][]) {
      ids.clients[key] = (await cl.post('/clients', { ...c, email: `ops@${key}.example`, currency: 'USD' }, admin, 201)).body.id;
    }
    for (const [key, a] of Object.entries(ASSISTANTS) as [Who, (typeof ASSISTANTS)[Who]][]) {
      ids.assistants[key] = (await cl.post('/assistants', { ...a, email: `${key}@va.example`, skills: a.skills ?? [], payRate: usd(a.payRate) }, admin, 201)).body.id;
    }
    for (const [key, e] of Object.entries(ENGAGEMENTS) as [Exclude<Eng, 'E7'>, (typeof ENGAGEMENTS)[Exclude<Eng, 'E7'>]][]) {
      const body = { clientId: ids.clients[e.client], assistantId: ids.assistants[e.assistant], kind: 'part-time', weeklyHours: e.weeklyHours, startsOn: '2026-03-01', noticePeriodDays: e.noticePeriodDays, plan: e.plan, ...(e.phase ? { phase: e.phase } : {}) };
      ids.engagements[key] = (await cl.post('/engagements', body, admin, 201)).body.id;
    }
    // capacity: Ana 8 + 6 = 14 of 30 h, Ben 6 + 10 = 16 of 25 h, Chen 15 of 20 h, Dara 5 of 20 h, Eva none yet
    for (const [who, committed] of [['ana', 14], ['ben', 16], ['chen', 15], ['dara', 5], ['eva', 0]] as const) {
      expect((await cl.get(`/assistants/${ids.assistants[who]}`)).body).toMatchObject({ committedWeeklyHours: committed, weeklyCapacityHours: ASSISTANTS[who].weeklyCapacityHours });
    }

    // the other services learn all of it from the clients topic (engagements and parties on different partitions)
    await waitUntil(async () => (await sc.peek('/agency/scheduling-settings')).body.minimumNoticeHours === 12, { timeoutMs: 30_000, what: 'scheduling to learn the agency settings' });
    for (const e of Object.keys(ENGAGEMENTS) as Exclude<Eng, 'E7'>[]) {
      const id = ids.engagements[e];
      await waitUntil(async () => (await sc.peek(`/engagements/${id}/scheduling-policy`)).status === 200, { timeoutMs: 30_000, what: `scheduling to learn ${e}` });
      await waitUntil(async () => (await tt.peek(`/time-entries?engagementId=${id}`)).status === 200, { timeoutMs: 30_000, what: `time-tracking to learn ${e}` });
    }
    for (const q of [...Object.values(ids.clients).map((c) => `clientId=${c}`), ...Object.values(ids.assistants).map((a) => `assistantId=${a}`)]) {
      await waitUntil(async () => (await sc.peek(`/agenda?date=2026-03-02&${q}`)).status === 200, { timeoutMs: 30_000, what: `scheduling to learn ${q}` });
    }

    // Jones books a weekly Monday check-in at 09:00 New York for five weeks: the UTC instant moves with US DST
    const series = await book('jones-0302', 'E1', '2026-03-02T14:00:00Z', '2026-03-02T14:30:00Z', asClient('jones'), { title: 'Weekly listings check-in', recurrence: { every: 'week', count: 5 } });
    expect(series.occurrences.map((o: { startsAt: string }) => o.startsAt)).toEqual([
      '2026-03-02T14:00:00.000Z', // 09:00 EST
      '2026-03-09T13:00:00.000Z', // 09:00 EDT (US summer time since 8 March)
      '2026-03-16T13:00:00.000Z',
      '2026-03-23T13:00:00.000Z',
      '2026-03-30T13:00:00.000Z', // 09:00 EDT; London on BST since 29 March
    ]);
    series.occurrences.forEach((o: { id: string }, i: number) => (appt[['jones-0302', 'jones-0309', 'jones-0316', 'jones-0323', 'jones-0330'][i]] = o.id));
    await book('kestrel-0305', 'E3', '2026-03-05T14:00:00Z', '2026-03-05T14:30:00Z', admin);
    await book('kestrel-0324', 'E3', '2026-03-24T14:00:00Z', '2026-03-24T14:30:00Z', admin);
    await book('harbor-0304', 'E4', '2026-03-04T14:30:00Z', '2026-03-04T15:00:00Z', asAssistant('ben'));
    await book('harbor-0311', 'E4', '2026-03-11T15:00:00Z', '2026-03-11T15:30:00Z', asAssistant('ben'));
    await book('harbor-0319', 'E4', '2026-03-19T14:00:00Z', '2026-03-19T14:30:00Z', asAssistant('ben'));
    await book('harbor-0326', 'E4', '2026-03-26T14:00:00Z', '2026-03-26T14:30:00Z', asAssistant('ben'));
    await book('northwind-0311', 'E5', '2026-03-11T16:00:00Z', '2026-03-11T16:30:00Z', asClient('northwind')); // 00:00 Thursday in Manila
    await book('northwind-0318', 'E5', '2026-03-18T16:00:00Z', '2026-03-18T16:30:00Z', asClient('northwind'));
    await book('northwind-0325', 'E5', '2026-03-25T16:00:00Z', '2026-03-25T16:30:00Z', asClient('northwind'));
    await book('brightside-review', 'E2', '2026-03-18T15:00:00Z', '2026-03-18T16:00:00Z', asClient('brightside'), { kind: 'review' });
    // Orchard's Monday order review at 09:00 in Chicago (US DST from 8 March), with Dara in Lagos (16:00, then 15:00 hers)
    const orchard = await book('orchard-0302', 'E6', '2026-03-02T15:00:00Z', '2026-03-02T15:30:00Z', asClient('orchard'), { title: 'Weekly order review', recurrence: { every: 'week', count: 5 } });
    expect(orchard.occurrences.map((o: { startsAt: string }) => o.startsAt)).toEqual(['2026-03-02T15:00:00.000Z', '2026-03-09T14:00:00.000Z', '2026-03-16T14:00:00.000Z', '2026-03-23T14:00:00.000Z', '2026-03-30T14:00:00.000Z']);
    orchard.occurrences.forEach((o: { id: string }, i: number) => (appt[['orchard-0302', 'orchard-0309', 'orchard-0316', 'orchard-0323', 'orchard-0330'][i]] = o.id));

    // each viewer sees the series in their own zone: 09:00 for Jones every week; 14:00, 13:00, 14:00 for Ana in London
    for (const date of ['2026-03-02', '2026-03-09', '2026-03-30']) {
      expect(await day(date, `clientId=${ids.clients.jones}`, asClient('jones'))).toEqual([expect.objectContaining({ localStart: '09:00', localEnd: '09:30', busy: false })]);
    }
    expect((await day('2026-03-02', `assistantId=${ids.assistants.ana}`, asAssistant('ana')))[0]).toMatchObject({ localStart: '14:00' });
    expect((await day('2026-03-09', `assistantId=${ids.assistants.ana}`, asAssistant('ana')))[0]).toMatchObject({ localStart: '13:00' });
    expect((await day('2026-03-30', `assistantId=${ids.assistants.ana}`, asAssistant('ana')))[0]).toMatchObject({ localStart: '14:00' });
  }, STEP_MS);

  it('week 10 (2-8 March): kept, moved late, cancelled late; Dara gives notice and the agency hands Orchard over to a matched replacement; Kestrel gives notice; the DST night is one hour of work', async () => {
    await clock('scheduling', '2026-03-02T14:05:00Z');
    await keep('jones-0302', 'ana');
    await clock('scheduling', '2026-03-02T15:05:00Z');
    await keep('orchard-0302', 'dara');
    // 6 h 30 before the call, inside the agency's 12 h: late
    await clock('scheduling', '2026-03-04T08:00:00Z');
    await sc.post(`/appointments/${appt['harbor-0304']}/reschedule`, { startsAt: '2026-03-04T16:00:00Z', endsAt: '2026-03-04T16:30:00Z', reason: 'supplier call ran over' }, asAssistant('ben'));
    expect(await appointment('harbor-0304')).toMatchObject({ startsAt: '2026-03-04T16:00:00.000Z', late: true });
    await clock('scheduling', '2026-03-04T16:10:00Z');
    await keep('harbor-0304', 'ben');
    // the client cancels 4 h before: late, on the client's record
    await clock('scheduling', '2026-03-05T10:00:00Z');
    await sc.post(`/appointments/${appt['kestrel-0305']}/cancel`, { reason: 'court hearing moved' }, asClient('kestrel'));
    expect(await appointment('kestrel-0305')).toMatchObject({ status: 'cancelled', late: true });

    // Wednesday 4 March: Dara gives 21 days' notice on Orchard's retainer (she is leaving for a full-time post):
    // it ends on 25 March
    await clock('clients', '2026-03-04T15:00:00Z');
    await cl.post(`/engagements/${ids.engagements.E6}/notice`, { by: 'assistant', reason: 'leaving for a full-time post' }, asAssistant('dara'));
    expect((await cl.get(`/engagements/${ids.engagements.E6}`)).body).toMatchObject({ status: 'in-notice', endsOn: '2026-03-25' });
    // the agency asks who fits Orchard (5 h a week, florals): Eva, the only florist, with her reasons
    const matches = (await cl.get(`/assistants/matches?clientId=${ids.clients.orchard}&weeklyHours=5&skills=florals&kind=part-time`)).body.items as { assistantId: string; reasons: string[] }[];
    expect(matches[0].assistantId).toBe(ids.assistants[HANDOVER.replacement]);
    expect(matches[0].reasons).toContain('1 of 1 skills (florals)');
    // and hands over on Monday 16 March, Orchard keeping phase II
    const handedOver = await cl.post(`/engagements/${ids.engagements[HANDOVER.from]}/handover`, { replacementAssistantId: ids.assistants[HANDOVER.replacement], handoverOn: HANDOVER.handoverOn, startingPhase: HANDOVER.startingPhase }, admin, 201);
    ids.engagements[HANDOVER.to] = handedOver.body.id;
    expect((await cl.get(`/engagements/${ids.engagements.E7}`)).body).toMatchObject({ clientId: ids.clients.orchard, assistantId: ids.assistants.eva, startsOn: '2026-03-16', phase: 2, plan: ENGAGEMENTS.E6.plan, status: 'active' });
    expect((await cl.get(`/assistants/${ids.assistants.eva}`)).body).toMatchObject({ committedWeeklyHours: 5 });
    // scheduling moves the calls from the 16th on to Eva (free then) and books the handover meeting on both
    // calendars: the latest weekday before the 16th with a half hour in both working days (12:00-16:00 UTC)
    const plan = await waitUntil(async () => {
      const body = (await cl.peek(`/engagements/${ids.engagements.E6}/handover`)).body;
      return body.appointments ? body : undefined;
    }, { timeoutMs: 30_000, what: 'scheduling to carry out the handover' });
    expect(plan).toMatchObject({ status: 'planned', handoverOn: '2026-03-16', appointments: { conflicts: [], meeting: { startsAt: '2026-03-13T12:00:00.000Z', endsAt: '2026-03-13T12:30:00.000Z' } } });
    const moved = new Map((plan.appointments.moved as { appointmentId: string; newAppointmentId: string; startsAt: string }[]).map((m) => [m.appointmentId, m]));
    expect([...moved.keys()].sort()).toEqual(['orchard-0316', 'orchard-0323', 'orchard-0330'].map((n) => appt[n]).sort());
    // the process wrote on Dara's and Eva's calendars (two partitions): wait until scheduling's read model has all of it
    const copies = [...moved.values()].map((m) => m.newAppointmentId);
    await waitUntil(async () => {
      const originals = await Promise.all([...moved.keys()].map(async (id) => (await sc.peek(`/appointments/${id}`)).body.status));
      const made = await Promise.all([...copies, plan.appointments.meeting.outgoingAppointmentId, plan.appointments.meeting.replacementAppointmentId].map(async (id) => (await sc.peek(`/appointments/${id}`)).status));
      return originals.every((st) => st === 'cancelled') && made.every((st) => st === 200);
    }, { timeoutMs: 30_000, what: "scheduling's read model to show the handover" });
    for (const n of ['orchard-0316', 'orchard-0323', 'orchard-0330']) {
      expect((await appointment(n)).changes).toEqual([expect.objectContaining({ type: 'cancelled', by: 'system', late: false })]);
      appt[n] = moved.get(appt[n])!.newAppointmentId;
    }
    appt['handover-dara'] = plan.appointments.meeting.outgoingAppointmentId;
    appt['handover-eva'] = plan.appointments.meeting.replacementAppointmentId;
    // Orchard's Monday call goes on at 09:00 its time, now with Eva (11:00 in Buenos Aires), and Dara's day is free
    for (const date of ['2026-03-16', '2026-03-23', '2026-03-30']) {
      expect(await day(date, `clientId=${ids.clients.orchard}`, asClient('orchard'))).toEqual([expect.objectContaining({ localStart: '09:00', localEnd: '09:30', assistantId: ids.assistants.eva, engagementId: ids.engagements.E7 })]);
      expect(await day(date, `assistantId=${ids.assistants.eva}`, asAssistant('eva'))).toEqual([expect.objectContaining({ localStart: '11:00', clientId: ids.clients.orchard })]);
      expect(await day(date, `assistantId=${ids.assistants.dara}`, asAssistant('dara'))).toEqual([]);
    }
    // the client sees the whole plan on its portal
    expect((await cl.get(`/engagements/${ids.engagements.E6}/handover`, asClient('orchard'))).body.appointments.moved).toHaveLength(3);

    // Friday 6 March: Kestrel gives 14 days' notice; the engagement ends on 20 March (agency's zone)
    await clock('clients', '2026-03-06T15:00:00Z');
    await cl.post(`/engagements/${ids.engagements.E3}/notice`, { by: 'client', reason: 'bringing bookkeeping in-house' }, asClient('kestrel'));
    expect((await cl.get(`/engagements/${ids.engagements.E3}`)).body).toMatchObject({ status: 'in-notice', endsOn: '2026-03-20' });

    await clock('timeTracking', '2026-03-09T06:00:00Z');
    // 02:00Z on 1 March is still 28 February in New York: before the engagement
    await refused('E4', 'website', '2026-03-01T02:00:00Z', '2026-03-01T03:00:00Z', 'TIME_ENTRY.OUTSIDE_ENGAGEMENT');
    await logAndApproveWeek('2026-W10');
  }, STEP_MS);

  it('week 11 (9-15 March): moved in time, a no-show, a duty the phase does not allow yet, and the handover meeting', async () => {
    await clock('scheduling', '2026-03-09T13:05:00Z'); // 09:05 in New York, now on summer time
    await keep('jones-0309', 'ana');
    await clock('scheduling', '2026-03-09T14:05:00Z');
    await keep('orchard-0309', 'dara');
    // 20 h ahead: in time with the agency's 12 h (it would be late with the default 24 h)
    await clock('scheduling', '2026-03-10T19:00:00Z');
    await sc.post(`/appointments/${appt['harbor-0311']}/reschedule`, { startsAt: '2026-03-12T15:00:00Z', endsAt: '2026-03-12T15:30:00Z', reason: 'bakery inspection' }, asAssistant('ben'));
    expect(await appointment('harbor-0311')).toMatchObject({ late: false });
    await clock('scheduling', '2026-03-11T16:10:00Z');
    await keep('northwind-0311', 'chen');
    await clock('scheduling', '2026-03-12T14:00:00Z');
    await sc.post(`/appointments/${appt['jones-0316']}/reschedule`, { startsAt: '2026-03-17T13:00:00Z', endsAt: '2026-03-17T13:30:00Z', reason: 'open house on Monday' }, asClient('jones'));
    // Kestrel's engagement is in notice: nothing on or after 20 March
    const late = await sc.post('/appointments', { engagementId: ids.engagements.E3, kind: 'check-in', startsAt: '2026-03-20T14:00:00Z', endsAt: '2026-03-20T14:30:00Z' }, admin, 409);
    expect(late.body.code).toBe('APPOINTMENT.OUTSIDE_ENGAGEMENT');
    // the call moved to 12 March 15:00 passes without anyone marking it kept
    await clock('scheduling', '2026-03-12T15:40:00Z');
    await statusBecomes('harbor-0311', 'no-show', 'the Harbor call of 12 March to become a no-show');
    // Friday 13 March: Dara hands Orchard over to Eva in the meeting scheduling booked on both calendars
    await clock('scheduling', '2026-03-13T12:05:00Z');
    await keep('handover-dara', 'dara');
    await keep('handover-eva', 'eva');

    await clock('timeTracking', '2026-03-16T06:00:00Z');
    // Brightside is in phase 1 (clerical): bookkeeping (phase 2) is refused
    await refused('E2', 'bookkeeping', '2026-03-12T14:00:00Z', '2026-03-12T15:00:00Z', 'TIME_ENTRY.CATEGORY_NOT_ALLOWED');
    await logAndApproveWeek('2026-W11');
  }, STEP_MS);

  it("week 12 (16-22 March): Orchard's check-in goes on with Eva; Brightside promotes Ana to phase 2; Kestrel's notice runs out on the 20th", async () => {
    await clock('clients', '2026-03-16T14:00:00Z');
    await cl.post(`/engagements/${ids.engagements.E2}/phase`, { phase: 2, reason: 'Ana screens our calls and keeps the books now' }, asClient('brightside'));

    // Monday 16 March, 09:05 in Chicago: Orchard's first call with Eva
    await clock('scheduling', '2026-03-16T14:05:00Z');
    await keep('orchard-0316', 'eva');
    await clock('scheduling', '2026-03-17T13:10:00Z');
    await keep('jones-0316', 'ana');
    await clock('scheduling', '2026-03-18T09:00:00Z'); // 6 h before the review: late
    await sc.post(`/appointments/${appt['brightside-review']}/reschedule`, { startsAt: '2026-03-18T16:00:00Z', endsAt: '2026-03-18T17:00:00Z', reason: 'a closing at Jones Realty ran over' }, asAssistant('ana'));
    expect(await appointment('brightside-review')).toMatchObject({ late: true });
    await clock('scheduling', '2026-03-18T16:05:00Z');
    await keep('brightside-review', 'ana');
    await keep('northwind-0318', 'chen');
    await clock('scheduling', '2026-03-19T14:10:00Z');
    await keep('harbor-0319', 'ben');

    // 03:30Z on the 20th is still the 19th in New York: in notice for a little longer
    await clock('clients', '2026-03-20T03:30:00Z');
    await new Promise((r) => setTimeout(r, 800)); // several scheduler ticks
    expect((await cl.get(`/engagements/${ids.engagements.E3}`)).body.status).toBe('in-notice');
    await clock('clients', '2026-03-20T05:00:00Z');
    const ended = await waitUntil(async () => {
      const body = (await cl.peek(`/engagements/${ids.engagements.E3}`)).body;
      return body.status === 'ended' ? body : undefined;
    }, { timeoutMs: 30_000, what: 'Kestrel to end after its notice' });
    expect(ended).toMatchObject({ endedBy: 'notice', endedOn: '2026-03-20' });
    await waitUntil(async () => (await cl.peek(`/assistants/${ids.assistants.ben}`)).body.committedWeeklyHours === 10, { timeoutMs: 30_000, what: "Ben's 6 hours to be released" });
    // scheduling cancels Kestrel's future call as the system, and books nothing more on it
    await statusBecomes('kestrel-0324', 'cancelled', 'the system to cancel Kestrel 24 March');
    expect((await appointment('kestrel-0324')).changes).toEqual([expect.objectContaining({ type: 'cancelled', by: 'system', reason: 'engagement ended', late: false })]);
    const after = await sc.post('/appointments', { engagementId: ids.engagements.E3, kind: 'check-in', startsAt: '2026-03-19T15:00:00Z', endsAt: '2026-03-19T15:30:00Z' }, admin, 409);
    expect(after.body.code).toBe('APPOINTMENT.ENGAGEMENT_NOT_ACTIVE');
    await clock('scheduling', '2026-03-20T12:00:00Z'); // 5 days ahead: in time
    await sc.post(`/appointments/${appt['northwind-0325']}/cancel`, { reason: 'studio closed for a shoot' }, asClient('northwind'));
    expect(await appointment('northwind-0325')).toMatchObject({ status: 'cancelled', late: false });

    await clock('timeTracking', '2026-03-23T06:00:00Z');
    // logged after the promotion: bookkeeping from 16 March 14:00Z on is allowed (once time-tracking heard of it)
    const b3 = TIME['2026-W12'].find((s) => s.key === 'b3')!;
    await waitUntil(
      async () => {
        const r = await request(svcs.timeTracking.url).post('/time-entries').set(auth(asAssistant('ana'))).send({ engagementId: ids.engagements.E2, category: b3.category, startedAt: b3.from, endedAt: b3.to, billable: true });
        if (r.status === 201) {
          entry.b3 = r.body.id;
          positions.timeTracking = Math.max(positions.timeTracking, r.body.position);
        }
        return r.status === 201;
      },
      { timeoutMs: 30_000, what: 'time-tracking to learn the promotion' },
    );
    expect((await tt.get(`/time-entries/${entry.b3}`)).body).toMatchObject({ actualMinutes: b3.actual, billedMinutes: b3.billed, isoWeek: '2026-W12' });
    // ...but never for time before it, nor for an entry that starts before it
    await refused('E2', 'bookkeeping', '2026-03-12T14:00:00Z', '2026-03-12T15:00:00Z', 'TIME_ENTRY.CATEGORY_NOT_ALLOWED');
    await refused('E2', 'screening', '2026-03-16T13:00:00Z', '2026-03-16T14:30:00Z', 'TIME_ENTRY.CATEGORY_NOT_ALLOWED');
    // nothing on Kestrel from 20 March (New York) on
    await refused('E3', 'bookkeeping', '2026-03-20T13:00:00Z', '2026-03-20T14:00:00Z', 'TIME_ENTRY.OUTSIDE_ENGAGEMENT');
    await logAndApproveWeek('2026-W12', ['b3']);
  }, STEP_MS);

  it('week 13 (23-29 March): a no-show, a late cancellation by the agency, the EU DST night, and an adjusting entry after approval', async () => {
    await clock('scheduling', '2026-03-23T13:40:00Z');
    await statusBecomes('jones-0323', 'no-show', 'the Jones call of 23 March to become a no-show');
    await clock('scheduling', '2026-03-23T14:05:00Z');
    await keep('orchard-0323', 'eva');
    await clock('scheduling', '2026-03-26T08:00:00Z'); // 6 h before
    await sc.post(`/appointments/${appt['harbor-0326']}/cancel`, { reason: 'Ben is ill' }, admin);
    expect(await appointment('harbor-0326')).toMatchObject({ status: 'cancelled', late: true });

    await clock('timeTracking', '2026-03-30T06:00:00Z');
    await logAndApproveWeek('2026-W13');

    // Chen forgot 37 minutes on 24 March: approved time is locked, the correction is an adjusting entry
    await clock('timeTracking', '2026-03-31T09:00:00Z');
    const e6 = TIME['2026-W13'].find((s) => s.key === 'e6')!;
    const corrected = { category: e6.category, startedAt: e6.from, endedAt: ADJUSTMENT.to, billable: true };
    const locked = await request(svcs.timeTracking.url).put(`/time-entries/${entry.e6}`).set(auth(asAssistant('chen'))).send(corrected);
    expect([locked.status, locked.body.code]).toEqual([409, 'TIME_ENTRY.LOCKED']);
    const adj = (await tt.post(`/time-entries/${entry.e6}/adjustments`, { ...corrected, reason: 'forgot the tail of the mailing run' }, asAssistant('chen'), 201)).body.id;
    expect((await tt.get(`/time-entries/${adj}`, asAssistant('chen'))).body).toMatchObject({ adjusts: entry.e6, actualMinutes: ADJUSTMENT.actual, billedMinutes: ADJUSTMENT.billed, isoWeek: '2026-W13', status: 'open' });
    await submit('E5', '2026-W13');
    await tt.post(`/timesheets/${ids.engagements.E5}/2026-W13/approve`, {}, asClient('northwind'));
    expect((await tt.get(`/time-entries/${adj}`, asClient('northwind'))).body.status).toBe('approved');

    // who approved week 13 and what did it say before the adjustment: the week's history, and the week as of then
    const week13 = `/timesheets/${ids.engagements.E5}/2026-W13`;
    const history = (await tt.get(`${week13}/history`, asClient('northwind'))).body.items as { type: string; at: string; actor: object; reason?: string }[];
    expect(history.filter((h) => h.type === 'TimesheetApproved' || h.type === 'TimeEntryAdjusted').map(({ type, at, actor, reason }) => ({ type, at, actor, reason }))).toEqual([
      { type: 'TimesheetApproved', at: '2026-03-30T06:00:00.000Z', actor: { sub: 'exec-northwind', role: 'client' }, reason: undefined },
      { type: 'TimeEntryAdjusted', at: '2026-03-31T09:00:00.000Z', actor: { sub: 'va-chen', role: 'assistant' }, reason: 'forgot the tail of the mailing run' },
      { type: 'TimesheetApproved', at: '2026-03-31T09:00:00.000Z', actor: { sub: 'exec-northwind', role: 'client' }, reason: undefined },
    ]);
    // e6 180 + e7 66 = 246 approved on the 30th; with the adjusting entry's 36: 282
    expect((await tt.get(`${week13}?asOf=2026-03-31T00:00:00Z`, asClient('northwind'))).body).toMatchObject({ status: 'approved', billedMinutes: 246 });
    expect((await tt.get(week13, asClient('northwind'))).body).toMatchObject({ status: 'approved', billedMinutes: 282 });
  }, STEP_MS);

  it('week 14 (30-31 March): the last check-in, late-evening time that is still March, and a bulk approval by the agency', async () => {
    await clock('scheduling', '2026-03-30T13:10:00Z');
    await keep('jones-0330', 'ana');
    await clock('scheduling', '2026-03-30T14:05:00Z');
    await keep('orchard-0330', 'eva');
    await clock('scheduling', '2026-04-01T12:00:00Z');
    for (const name of Object.keys(appt)) expect((await appointment(name)).status).not.toBe('booked');

    await clock('timeTracking', '2026-04-01T12:00:00Z');
    for (const s of TIME['2026-W14']) await log(s, '2026-W14');
    await submit('E1', '2026-W14');
    await submit('E4', '2026-W14');
    // the agency approves the week of every assistant at once (it reads the submitted sheets from its read model)
    await waitUntil(
      async () => {
        await tt.post('/timesheets/approve-bulk', { isoWeek: '2026-W14' });
        const statuses = await Promise.all(['a10', 'd6'].map(async (k) => (await tt.get(`/time-entries/${entry[k]}`)).body.status));
        return statuses.every((s) => s === 'approved');
      },
      { timeoutMs: 30_000, what: 'the bulk approval of 2026-W14' },
    );
    // Jones' retainer burn-down: 1704 approved minutes of 1200 included (the non-billable 45 are not used)
    expect((await tt.get(`/engagements/${ids.engagements.E1}/retainer?month=${PERIOD}`, asClient('jones'))).body).toMatchObject({ includedMinutes: 1200, usedMinutes: BILLED.E1, pendingMinutes: 0 });
  }, STEP_MS);

  it("keeps every assistant's and every client's reliability record", async () => {
    for (const who of Object.keys(ASSISTANTS) as Who[]) {
      expect([who, (await sc.get(`/assistants/${ids.assistants[who]}/reliability`)).body]).toEqual([who, RELIABILITY.assistants[who]]);
    }
    for (const c of Object.keys(CLIENTS) as ClientKey[]) {
      expect([c, (await sc.get(`/clients/${ids.clients[c]}/reliability`)).body]).toEqual([c, RELIABILITY.clients[c]]);
    }
    // a client sees only its own part of the assistant's record: Kestrel's own late cancellation is not Ben's
    expect((await sc.get(`/assistants/${ids.assistants.ben}/reliability`, asClient('kestrel'))).body).toEqual(record({}));
    expect((await sc.get(`/assistants/${ids.assistants.ben}/reliability`, asClient('harbor'))).body).toEqual(RELIABILITY.assistants.ben);
  }, STEP_MS);

  it('bills March: one invoice per client, every line as computed by hand, Orchard\'s split by days at the handover', async () => {
    // billing learns the approved time from the time-tracking topic
    const payouts = async () => Object.fromEntries(((await bl.peek(`/payouts?period=${PERIOD}`)).body.items ?? []).map((p: { assistantId: string; billedMinutes: number }) => [p.assistantId, p.billedMinutes]));
    await waitUntil(async () => {
      const got = await payouts();
      return (Object.keys(PAYOUTS) as Who[]).every((w) => got[ids.assistants[w]] === PAYOUTS[w].billedMinutes);
    }, { timeoutMs: 30_000, what: 'billing to learn every approved minute' });

    await clock('billing', '2026-04-01T14:00:00Z');
    const run = (await bl.post('/billing-runs', { period: PERIOD }, admin, 201)).body;
    expect(run.failed).toEqual([]);
    expect(run.invoices.map((i: { clientId: string }) => i.clientId).sort()).toEqual(Object.values(ids.clients).sort());

    const list = (await bl.get(`/invoices?period=${PERIOD}`)).body.items as { clientId: string; status: string; currency: string; total: unknown; lines: { engagementId: string; description: string; amount: unknown }[] }[];
    expect(list).toHaveLength(6);
    for (const [c, want] of Object.entries(INVOICES) as [ClientKey, (typeof INVOICES)[ClientKey]][]) {
      const inv = list.find((i) => i.clientId === ids.clients[c])!;
      expect([c, inv.status, inv.currency, inv.total]).toEqual([c, 'draft', 'USD', usd(want.amount)]);
      const lines = 'lines' in want ? want.lines : [want];
      const byEngagement = (l: { engagementId: string }) => lines.findIndex((w) => ids.engagements[w.e] === l.engagementId);
      const got = [...inv.lines].sort((a, b) => byEngagement(a) - byEngagement(b));
      expect([c, got]).toEqual([c, lines.map((l) => ({ engagementId: ids.engagements[l.e], description: expect.stringContaining(PERIOD), amount: usd(l.amount) }))]);
      lines.forEach((l, i) => l.mentions.forEach((m) => expect(got[i].description).toContain(m)));
    }
  }, STEP_MS);

  it('pays every assistant for their approved minutes and shows the margins', async () => {
    const items = (await bl.peek(`/payouts?period=${PERIOD}`)).body.items;
    expect(items).toHaveLength(5);
    for (const who of Object.keys(PAYOUTS) as Who[]) {
      expect(items.find((p: { assistantId: string }) => p.assistantId === ids.assistants[who])).toEqual({ assistantId: ids.assistants[who], period: PERIOD, billedMinutes: PAYOUTS[who].billedMinutes, amount: usd(PAYOUTS[who].amount) });
    }
    // an assistant sees their own payout only
    expect((await bl.peek(`/payouts?period=${PERIOD}`, asAssistant('chen'))).body.items).toEqual([{ assistantId: ids.assistants.chen, period: PERIOD, billedMinutes: 972, amount: usd(20655) }]);

    const m = (await bl.get(`/margins?period=${PERIOD}`)).body;
    for (const [c, want] of Object.entries(MARGINS.clients) as [ClientKey, { revenue: number; cost: number; margin: number }][]) {
      expect(m.clients.find((x: { clientId: string }) => x.clientId === ids.clients[c])).toEqual({ clientId: ids.clients[c], revenue: usd(want.revenue), cost: usd(want.cost), margin: usd(want.margin) });
    }
    for (const [who, want] of Object.entries(MARGINS.assistants) as [Who, { revenue: number; cost: number; margin: number }][]) {
      expect(m.assistants.find((x: { assistantId: string }) => x.assistantId === ids.assistants[who])).toEqual({ assistantId: ids.assistants[who], revenue: usd(want.revenue), cost: usd(want.cost), margin: usd(want.margin) });
    }
  }, STEP_MS);

  it("erases on request the people who left (Kestrel's contact, Dara): their names go, every figure stays", async () => {
    const invoices = (await bl.get(`/invoices?period=${PERIOD}`)).body.items as { id: string; clientId: string; total: unknown }[];
    const kestrel = invoices.find((i) => i.clientId === ids.clients.kestrel)!;
    const printed = async () => (await request(svcs.billing.url).get(`/invoices/${kestrel.id}`).set(auth(admin)).set('Accept', 'text/html').expect(200)).text;
    expect(await printed()).toContain('Kestrel Legal');

    await cl.post(`/people/${ids.clients.kestrel}/erasure`, {}, admin, 202);
    await cl.post(`/people/${ids.assistants.dara}/erasure`, {}, admin, 202);
    expect((await cl.get(`/clients/${ids.clients.kestrel}`)).body).toMatchObject({ name: '[erased]', email: null, erased: true, timezone: 'Europe/London', currency: 'USD' });
    expect((await cl.get(`/assistants/${ids.assistants.dara}`)).body).toMatchObject({ name: '[erased]', email: null, erased: true, payRate: usd(1500), weeklyCapacityHours: 20 });
    // the printable invoice names nobody, and bills what it billed
    const html = await waitUntil(async () => {
      const text = await printed();
      return text.includes('[erased]') ? text : undefined;
    }, { timeoutMs: 30_000, what: "billing to print Kestrel's invoice as erased" });
    expect(html).not.toContain('Kestrel Legal');
    expect((await bl.peek(`/invoices/${kestrel.id}`)).body.total).toEqual(usd(INVOICES.kestrel.amount));
    // Dara's pay, margins and reliability are untouched
    const payouts = (await bl.peek(`/payouts?period=${PERIOD}`)).body.items as { assistantId: string; billedMinutes: number; amount: unknown }[];
    expect(payouts.find((p) => p.assistantId === ids.assistants.dara)).toMatchObject({ billedMinutes: PAYOUTS.dara.billedMinutes, amount: usd(PAYOUTS.dara.amount) });
    const m = (await bl.get(`/margins?period=${PERIOD}`)).body;
    expect(m.clients.find((x: { clientId: string }) => x.clientId === ids.clients.kestrel)).toMatchObject({ revenue: usd(MARGINS.clients.kestrel.revenue), margin: usd(MARGINS.clients.kestrel.margin) });
    expect((await sc.get(`/assistants/${ids.assistants.dara}/reliability`)).body).toEqual(RELIABILITY.assistants.dara);
  }, STEP_MS);

  // ---------------------------------------------------------------- analytics

  /**
   * The analytics service, started only now on this suite's topic prefix: a fresh consumer reads the
   * whole month from the four topics (it never calls the other services) and must answer the same
   * hand-computed figures: utilization per assistant and ISO week, revenue and margin per client,
   * income concentration and reliability per assistant.
   */
  describe('analytics, built only from the stream', () => {
    let analytics: RunningService;
    const an = (url: string) => request(analytics.url).get(url).set(auth(admin));
    beforeAll(async () => {
      analytics = await startService('analytics', { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix });
    }, 120_000);
    afterAll(async () => {
      await analytics?.stop();
    });
    /** The answer once `ready` holds (the consumer catches up with the month), else the last answer in the error. */
    const settled = async (url: string, ready: (body: Record<string, unknown>) => boolean) =>
      waitUntil(async () => {
        const r = await an(url);
        return r.status === 200 && ready(r.body) ? (r.body as Record<string, unknown>) : undefined;
      }, { timeoutMs: 60_000, what: `analytics to answer ${url}` }).catch(async (err) => {
        const last = await an(url);
        throw new Error(`${String(err)}; last answer ${last.status}: ${JSON.stringify(last.body)}`);
      });

    it.each(Object.keys(UTILIZATION) as (keyof typeof UTILIZATION)[])('answers the hand-computed utilization of %s', async (week) => {
      type Item = { assistantId: string; loggedMinutes: number; capacityMinutes: number; utilization: number };
      const mine = (items: Item[], who: Who) => items.find((i) => i.assistantId === ids.assistants[who]);
      const body = await settled(`/analytics/utilization?week=${week}`, (b) =>
        (Object.keys(ASSISTANTS) as Who[]).every((w) => mine((b.items ?? []) as Item[], w)?.loggedMinutes === UTILIZATION[week][w].loggedMinutes),
      );
      for (const who of Object.keys(ASSISTANTS) as Who[]) {
        const item = mine(body.items as Item[], who)!;
        const want = UTILIZATION[week][who];
        expect([who, item.loggedMinutes, item.capacityMinutes]).toEqual([who, want.loggedMinutes, want.capacityMinutes]);
        expect(item.utilization).toBeCloseTo(want.utilization, 4);
      }
    }, STEP_MS);

    it('answers the revenue, cost and margin of every client for March, as billing does', async () => {
      for (const [c, want] of Object.entries(MARGINS.clients) as [ClientKey, { revenue: number; cost: number; margin: number }][]) {
        const body = await settled(`/analytics/clients/${ids.clients[c]}/revenue?period=2026-03`, (b) => (b.revenue as { amountMinor: number } | undefined)?.amountMinor === want.revenue && (b.cost as { amountMinor: number }).amountMinor === want.cost);
        expect([c, body.revenue, body.cost, body.margin]).toEqual([c, usd(want.revenue), usd(want.cost), usd(want.margin)]);
      }
    }, STEP_MS);

    it("answers every assistant's income concentration for March", async () => {
      // Ana: Jones 1704 + Brightside 522 = 2226 min; largest 1704 / 2226 = 0.76550 ; income = her payout 82177
      // Ben: Kestrel 630 + Harbor 702 = 1332 min; largest 702 / 1332 = 0.52703 ; income 41070
      // Chen: Northwind 972 min only → 1 ; income 20655
      const want: Record<Who, { total: number; largest: number; byClient: Partial<Record<ClientKey, number>> }> = {
        ana: { total: 2226, largest: 0.7655, byClient: { jones: 1704, brightside: 522 } },
        ben: { total: 1332, largest: 0.527, byClient: { kestrel: 630, harbor: 702 } },
        chen: { total: 972, largest: 1, byClient: { northwind: 972 } },
        // each has one client: Orchard, split between them at the handover
        dara: { total: 498, largest: 1, byClient: { orchard: 498 } },
        eva: { total: 450, largest: 1, byClient: { orchard: 450 } },
      };
      for (const who of Object.keys(want) as Who[]) {
        const body = await settled(`/analytics/assistants/${ids.assistants[who]}/concentration?period=2026-03`, (b) => b.totalBilledMinutes === want[who].total);
        expect([who, body.income]).toEqual([who, usd(PAYOUTS[who].amount)]);
        expect(body.largestClientShare).toBeCloseTo(want[who].largest, 4);
        const byClient = Object.fromEntries((body.clients as { clientId: string; billedMinutes: number }[]).map((x) => [x.clientId, x.billedMinutes]));
        expect(byClient).toEqual(Object.fromEntries(Object.entries(want[who].byClient).map(([c, m]) => [ids.clients[c as ClientKey], m])));
      }
    }, STEP_MS);

    it("answers every assistant's reliability, counted as the scheduling service counts it", async () => {
      for (const who of Object.keys(RELIABILITY.assistants) as Who[]) {
        const want = RELIABILITY.assistants[who];
        const body = await settled(`/analytics/assistants/${ids.assistants[who]}/reliability`, (b) => b.kept === want.kept && b.noShow === want.noShow);
        const { assistantId: _a, period: _p, ...counts } = body;
        expect([who, counts]).toEqual([who, want]);
      }
    }, STEP_MS);
  });
});
