import { calendarDateAfter, mergedIntervals, workingIntervalsOn, ZoneDays, type Interval, type Reliability, type WorkingHoursV1 } from '@vaops/contracts';

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
  return Array.from({ length: weeks * 7 }, (_, i) => mergedIntervals(workingIntervalsOn(days, calendarDateAfter(from, i), client.zone, client.hours)));
}

function overlapByWeek(client: Interval[][], assistant: { zone: string; hours: WorkingHoursV1[] }, from: string, days: ZoneDays): number[] {
  const n = client.length;
  // the assistant's dates that can meet the client's days (zones lie up to 26 hours apart)
  const theirs: Interval[] = [];
  for (let i = -2; i < n + 2; i++) theirs.push(...workingIntervalsOn(days, calendarDateAfter(from, i), assistant.zone, assistant.hours));
  const busy = mergedIntervals(theirs);
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
