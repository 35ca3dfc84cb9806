import { DateTime } from 'luxon';
import type { Reliability, WorkingHoursV1 } from '@vaops/contracts';

/**
 * Which of an agency's assistants suit a new engagement with a client, best first, and why
 * (docs/matching.md has the rules and a worked example). Pure: the caller reads the read models and the
 * clock; nothing here does I/O.
 */

// ---------------------------------------------------------------- inputs and outputs

export interface MatchCandidate {
  assistantId: string;
  name: string;
  timezone: string;
  weeklyCapacityHours: number;
  committedWeeklyHours: number;
  skills: string[];
  /** Local "HH:mm" per ISO weekday in the assistant's zone; none means no overlap with anyone. */
  workingHours: WorkingHoursV1[];
  /** The assistant's active (and in-notice) commitments. */
  commitments: { clientId: string; kind: 'part-time' | 'full-time'; weeklyHours: number }[];
  /** The scheduling service's counts; null when the assistant has none yet. */
  reliability: Reliability | null;
}

export interface MatchRequest {
  clientId: string;
  clientZone: string;
  /** The client's business hours, local to `clientZone`. */
  businessHours: WorkingHoursV1[];
  weeklyHours: number;
  kind: 'part-time' | 'full-time';
  skills: string[];
  /** The client's local date the coming weeks start on (YYYY-MM-DD). */
  from: string;
  weeks: number;
}

export interface Concentration {
  /** The largest client's share of the assistant's committed hours now; null without commitments. */
  largestClientShare: number | null;
  /** The same share if the assistant took this client too. */
  largestClientShareAfter: number;
}

export interface Match {
  assistantId: string;
  name: string;
  timezone: string;
  rank: number;
  /** 0..100, the weighted sum of the parts below. */
  score: number;
  scoreParts: ScoreParts;
  spareWeeklyHours: number;
  /** The lowest week of the coming `weeks` (the overlap the client can count on). */
  overlapMinutesPerWeek: number;
  overlapMinutesByWeek: number[];
  skillsMatched: string[];
  concentration: Concentration;
  reliability: Reliability;
  reasons: string[];
}

export interface ScoreParts {
  skills: number;
  overlap: number;
  reliability: number;
  spare: number;
  concentration: number;
}

/** Points of each part (they add up to 100). */
export const WEIGHTS: ScoreParts = { skills: 30, overlap: 25, reliability: 20, spare: 15, concentration: 10 };

/** Clients register no working hours: their business hours are Monday to Friday 09:00-17:00 in their zone. */
export const DEFAULT_BUSINESS_HOURS: WorkingHoursV1[] = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));

export const MATCH_WEEKS = 4;

const NO_RELIABILITY: Reliability = { kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0 };

// ---------------------------------------------------------------- overlap of working hours

interface Interval {
  start: number;
  end: number;
}

const hm = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** A calendar date, whatever the zone: the `i`th day after the ISO date `from`. */
interface CalendarDate {
  year: number;
  month: number;
  day: number;
  /** ISO weekday 1 (Monday) .. 7 (Sunday). */
  weekday: number;
}

function dateAfter(from: string, i: number): CalendarDate {
  const x = new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000);
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate(), weekday: x.getUTCDay() || 7 };
}

/**
 * Local dates of zones as instants, remembered per zone and date for one ranking: luxon's zone
 * arithmetic (the slow part) runs once per zone and date, the times of a day are then minutes after its
 * midnight, except on a day its zone changes its clocks, which luxon answers time by time.
 */
export class ZoneDays {
  private readonly days = new Map<string, { midnight: number; next: number }>();

  private day(date: CalendarDate, zone: string): { midnight: number; next: number } {
    const key = `${zone}|${date.year}-${date.month}-${date.day}`;
    let d = this.days.get(key);
    if (!d) {
      const start = DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone });
      d = { midnight: start.toMillis(), next: start.plus({ days: 1 }).toMillis() };
      this.days.set(key, d);
    }
    return d;
  }

  /** The instant of local minute `m` (0..1440) of the date in the zone (a time the clocks skip moves forwards). */
  at(date: CalendarDate, zone: string, m: number): number {
    const d = this.day(date, zone);
    if (m === 1440) return d.next;
    if (d.next - d.midnight === 86_400_000) return d.midnight + m * 60_000;
    return DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: Math.floor(m / 60), minute: m % 60 }, { zone }).toMillis();
  }
}

/** The instants of `hours` on one local date of `zone` (24:00 is the next day's midnight). */
function intervalsOn(days: ZoneDays, date: CalendarDate, zone: string, hours: WorkingHoursV1[]): Interval[] {
  const out: Interval[] = [];
  for (const w of hours) {
    if (w.day !== date.weekday) continue;
    const start = days.at(date, zone, hm(w.start));
    const end = days.at(date, zone, hm(w.end));
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** Sorted, with touching and overlapping intervals joined (so split shifts that overlap count once). */
function merged(xs: Interval[]): Interval[] {
  const sorted = [...xs].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.start <= last.end) last.end = Math.max(last.end, x.end);
    else out.push({ ...x });
  }
  return out;
}

/**
 * Minutes per week in which both work, on the actual dates of the `weeks` weeks that start on the
 * client's local date `from`: each side's local hours become instants in its own zone on each date,
 * so a week in which only one side changed its clocks shows the shift. A week is seven of the client's
 * days; a stretch counts in the week of the client's day it belongs to.
 */
export function weeklyOverlap(
  client: { zone: string; hours: WorkingHoursV1[] },
  assistant: { zone: string; hours: WorkingHoursV1[] },
  from: string,
  weeks: number,
  days: ZoneDays = new ZoneDays(),
): number[] {
  return overlapByWeek(clientDays(client, from, weeks, days), assistant, from, days);
}

/** The client's hours on each of its days of the coming weeks, as instants. */
function clientDays(client: { zone: string; hours: WorkingHoursV1[] }, from: string, weeks: number, days: ZoneDays): Interval[][] {
  return Array.from({ length: weeks * 7 }, (_, i) => merged(intervalsOn(days, dateAfter(from, i), client.zone, client.hours)));
}

function overlapByWeek(client: Interval[][], assistant: { zone: string; hours: WorkingHoursV1[] }, from: string, days: ZoneDays): number[] {
  const n = client.length;
  // the assistant's dates that can meet the client's days (zones lie up to 26 hours apart)
  const theirs: Interval[] = [];
  for (let i = -2; i < n + 2; i++) theirs.push(...intervalsOn(days, dateAfter(from, i), assistant.zone, assistant.hours));
  const busy = merged(theirs);
  const out = new Array<number>(Math.ceil(n / 7)).fill(0);
  client.forEach((stretches, i) => {
    for (const c of stretches) {
      for (const a of busy) {
        const ms = Math.min(c.end, a.end) - Math.max(c.start, a.start);
        if (ms > 0) out[Math.floor(i / 7)] += ms / 60_000;
      }
    }
  });
  return out.map((m) => Math.round(m));
}

/** Business minutes in the client's lowest week: what the overlap part of the score is measured against. */
const businessMinutes = (client: Interval[][]): number =>
  Math.min(...Array.from({ length: Math.ceil(client.length / 7) }, (_, w) => Math.round(client.slice(w * 7, w * 7 + 7).flat().reduce((s, x) => s + (x.end - x.start) / 60_000, 0))));

// ---------------------------------------------------------------- the parts of the score

/** Hours compared in whole minutes, as capacity is stored (no 0.1 + 0.2 surprises). */
const minutes = (hours: number): number => Math.round(hours * 60);

/** Why an assistant cannot take the engagement at all, or null when they can. */
export function exclusion(c: MatchCandidate, req: MatchRequest): string | null {
  if (c.commitments.some((x) => x.kind === 'full-time')) return 'holds a full-time engagement and takes no other';
  if (req.kind === 'full-time' && c.commitments.length > 0) return `a full-time engagement needs an assistant without other engagements (holds ${c.commitments.length})`;
  if (minutes(c.weeklyCapacityHours) - minutes(c.committedWeeklyHours) < minutes(req.weeklyHours)) {
    return `spare ${fmtHours(c.weeklyCapacityHours - c.committedWeeklyHours)} h/week, ${fmtHours(req.weeklyHours)} asked`;
  }
  return null;
}

const norm = (s: string): string => s.trim().toLowerCase();

/** The requested skills the assistant has (case and spaces ignored), in the order asked. */
export function skillsMatched(requested: string[], has: string[]): string[] {
  const own = new Set(has.map(norm));
  return requested.filter((s) => own.has(norm(s)));
}

/** The largest client's share of committed hours, now and with this client's hours added. */
export function concentrationOf(c: MatchCandidate, clientId: string, weeklyHours: number): Concentration {
  const byClient = new Map<string, number>();
  for (const x of c.commitments) byClient.set(x.clientId, (byClient.get(x.clientId) ?? 0) + minutes(x.weeklyHours));
  const total = [...byClient.values()].reduce((s, m) => s + m, 0);
  const largestClientShare = total > 0 ? Math.max(...byClient.values()) / total : null;
  byClient.set(clientId, (byClient.get(clientId) ?? 0) + minutes(weeklyHours));
  const largestClientShareAfter = Math.max(...byClient.values()) / (total + minutes(weeklyHours));
  return { largestClientShare: largestClientShare === null ? null : round3(largestClientShare), largestClientShareAfter: round3(largestClientShareAfter) };
}

/**
 * Kept appointments against those missed and moved late, with one kept and one missed assumed
 * beforehand (so a new assistant scores 0.5, and 1 of 1 does not beat 49 of 50). Changes made in time
 * are what the notice rule allows: they do not count against anyone.
 */
export function reliabilityScore(r: Reliability): number {
  return (r.kept + 1) / (r.kept + r.noShow + r.rescheduledLate + r.cancelledLate + 2);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const round1 = (x: number): number => Math.round(x * 10) / 10;
const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

// ---------------------------------------------------------------- ranking

/**
 * The assistants who can take the engagement, best first: the highest score, then (ties on the
 * score rounded to 0.1) more skills matched, more overlap, more spare hours, then the assistant id,
 * so the order never depends on how the roster was read.
 */
export function rankMatches(req: MatchRequest, candidates: MatchCandidate[]): Match[] {
  const days = new ZoneDays();
  const client = clientDays({ zone: req.clientZone, hours: req.businessHours }, req.from, req.weeks, days);
  const business = businessMinutes(client);
  const scored = candidates
    .filter((c) => exclusion(c, req) === null)
    .map((c) => {
      const skills = skillsMatched(req.skills, c.skills);
      const byWeek = overlapByWeek(client, { zone: c.timezone, hours: c.workingHours }, req.from, days);
      const overlap = Math.min(...byWeek);
      const spare = (minutes(c.weeklyCapacityHours) - minutes(c.committedWeeklyHours)) / 60;
      const concentration = concentrationOf(c, req.clientId, req.weeklyHours);
      const reliability = c.reliability ?? NO_RELIABILITY;
      const fractions: ScoreParts = {
        skills: req.skills.length === 0 ? 1 : skills.length / req.skills.length,
        overlap: business > 0 ? clamp01(overlap / business) : 0,
        reliability: reliabilityScore(reliability),
        spare: clamp01((minutes(spare) - minutes(req.weeklyHours)) / minutes(c.weeklyCapacityHours)),
        concentration: 1 - concentration.largestClientShareAfter,
      };
      const scoreParts = Object.fromEntries(Object.entries(fractions).map(([k, f]) => [k, round1(f * WEIGHTS[k as keyof ScoreParts])])) as unknown as ScoreParts;
      const score = round1(Object.values(scoreParts).reduce((s: number, p: number) => s + p, 0));
      return { c, skills, byWeek, overlap, spare, concentration, reliability, scoreParts, score };
    });
  scored.sort(
    (x, y) =>
      y.score - x.score ||
      y.skills.length - x.skills.length ||
      y.overlap - x.overlap ||
      y.spare - x.spare ||
      (x.c.assistantId < y.c.assistantId ? -1 : x.c.assistantId > y.c.assistantId ? 1 : 0),
  );
  return scored.map((s, i) => ({
    assistantId: s.c.assistantId,
    name: s.c.name,
    timezone: s.c.timezone,
    rank: i + 1,
    score: s.score,
    scoreParts: s.scoreParts,
    spareWeeklyHours: s.spare,
    overlapMinutesPerWeek: s.overlap,
    overlapMinutesByWeek: s.byWeek,
    skillsMatched: s.skills,
    concentration: s.concentration,
    reliability: s.reliability,
    reasons: reasons(req, s.c, { ...s, business }),
  }));
}

// ---------------------------------------------------------------- reasons, in words

const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const HOURS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const fmt = (n: number): string => WHOLE.format(n);
const fmtHours = (h: number): string => HOURS.format(h);
const pct = (share: number): string => `${Math.round(share * 100)} %`;
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function reasons(
  req: MatchRequest,
  c: MatchCandidate,
  s: { skills: string[]; byWeek: number[]; overlap: number; spare: number; concentration: Concentration; reliability: Reliability; scoreParts: ScoreParts; score: number; business: number },
): string[] {
  const out: string[] = [];
  out.push(`spare ${fmtHours(s.spare)} h/week of ${fmtHours(c.weeklyCapacityHours)} (${fmtHours(s.spare - req.weeklyHours)} left after these ${fmtHours(req.weeklyHours)})`);
  const weeks = s.byWeek.every((m) => m === s.overlap) ? `each of the next ${req.weeks} weeks` : `lowest of the next ${req.weeks} weeks: ${s.byWeek.map(fmt).join(', ')}`;
  out.push(`overlap ${fmt(s.overlap)} min/week of the client's ${fmt(s.business)} (${weeks})`);
  if (req.skills.length === 0) out.push('no skills asked');
  else out.push(`${s.skills.length} of ${req.skills.length} skills${s.skills.length > 0 ? ` (${s.skills.join(', ')})` : ''}`);
  const { largestClientShare: now, largestClientShareAfter: after } = s.concentration;
  out.push(
    now === null
      ? `no clients yet: this one would be ${pct(after)} of hours`
      : `largest client ${pct(now)} of hours; ${pct(after)} after taking this one${c.commitments.some((x) => x.clientId === req.clientId) ? ' (already works for this client)' : ''}`,
  );
  const r = s.reliability;
  const due = r.kept + r.noShow;
  const late = r.rescheduledLate + r.cancelledLate;
  out.push(
    due === 0 && late === 0
      ? 'no appointments kept or missed yet'
      : `kept ${r.kept} of ${due}${r.noShow ? `, ${plural(r.noShow, 'no-show', 'no-shows')}` : ''}${late ? `, ${plural(late, 'late change', 'late changes')}` : ''}`,
  );
  const p = s.scoreParts;
  out.push(`score ${s.score}: skills ${p.skills} + overlap ${p.overlap} + reliability ${p.reliability} + spare ${p.spare} + concentration ${p.concentration}`);
  return out;
}
