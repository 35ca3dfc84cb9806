import { DateTime } from 'luxon';
import { DUTY_CATEGORIES } from '@vaops/contracts';
import { AGENCY_ZONE, billedOf, DEMO_SETTINGS, dutiesAllowed, minutesOf, planDemoAgency, type DemoPlan } from './demo-agency';
import { invoiceRoles } from './seed';

/**
 * The demo agency's plan keeps the rules the services enforce, whatever "now" is: a time zone's clock
 * change, a month's or a year's first hour, a weekend. (The services refuse what breaks them, so a
 * plan that broke one would fail the seed on that day only.)
 */
const INSTANTS = [
  '2026-12-02T07:39:00Z', // a Wednesday morning
  '2026-03-29T12:00:00Z', // Europe's clocks went forward that night
  '2026-11-01T18:00:00Z', // the US clocks went back that night; a Sunday
  '2027-01-01T00:30:00Z', // a year's (and a month's) first half hour
  '2026-07-31T23:30:00Z', // London is in August, UTC still in July
  '2026-09-28T16:00:00Z', // a Monday afternoon
];

const ms = (iso: string) => Date.parse(iso);
/** Working days (Monday to Friday in `zone`) after the day of `from` up to the day of `to`, as the clients service counts them. */
const workingDaysBetween = (from: string, to: string, zone: string): number => {
  let day = DateTime.fromISO(from, { zone }).startOf('day');
  const end = DateTime.fromISO(to, { zone }).startOf('day');
  let n = 0;
  while (day < end) {
    day = day.plus({ days: 1 });
    if (day.weekday <= 5) n++;
  }
  return n;
};

describe.each(INSTANTS)('the demo agency planned at %s', (now) => {
  let plan: DemoPlan;
  beforeAll(() => {
    plan = planDemoAgency(new Date(now));
  });

  it('has 12 assistants, three in each of four zones, 25 clients each with an engagement, and the engagements within every capacity', () => {
    expect(plan.assistants).toHaveLength(12);
    const zones = plan.assistants.reduce<Record<string, number>>((m, a) => ({ ...m, [a.timezone]: (m[a.timezone] ?? 0) + 1 }), {});
    expect(zones).toEqual({ 'Asia/Manila': 3, 'Europe/London': 3, 'America/New_York': 3, 'America/Argentina/Buenos_Aires': 3 });
    expect(plan.clients).toHaveLength(25);
    expect(new Set(plan.clients.map((c) => c.name)).size).toBe(25);
    expect(new Set(plan.engagements.map((e) => e.clientKey))).toEqual(new Set(plan.clients.map((c) => c.key)));
    for (const a of plan.assistants) {
      const mine = plan.engagements.filter((e) => e.assistantKey === a.key);
      expect(mine.reduce((s, e) => s + e.weeklyHours, 0)).toBeLessThanOrEqual(a.weeklyCapacityHours);
      if (mine.some((e) => e.kind === 'full-time')) expect(mine).toHaveLength(1);
    }
    for (const e of plan.engagements) {
      const c = plan.clients.find((x) => x.key === e.clientKey)!;
      const currencies = e.plan.type === 'hourly' ? [e.plan.rate.currency] : [e.plan.monthlyFee.currency, e.plan.overageRate.currency];
      expect(currencies.every((x) => x === c.currency)).toBe(true);
    }
  });

  it('logs time only on duties the phase allows, never overlapping, never in the future, at most 16 hours an entry', () => {
    expect(plan.engagements.every(dutiesAllowed)).toBe(true);
    expect(plan.engagements.flatMap((e) => e.duties).every((d) => DUTY_CATEGORIES.some((c) => c.id === d))).toBe(true);
    for (const x of plan.entries) {
      expect(plan.engagements.find((e) => e.key === x.engagementKey)!.duties).toContain(x.category);
      expect(minutesOf(x)).toBeGreaterThanOrEqual(1);
      expect(minutesOf(x)).toBeLessThanOrEqual(16 * 60);
      expect(ms(x.endedAt)).toBeLessThanOrEqual(ms(now) - 60_000);
      expect(DateTime.fromISO(x.startedAt, { zone: AGENCY_ZONE }).toISODate()! >= plan.engagements.find((e) => e.key === x.engagementKey)!.startsOn).toBe(true);
    }
    for (const a of plan.assistants) {
      const mine = plan.entries.filter((x) => x.assistantKey === a.key).sort((x, y) => x.startedAt.localeCompare(y.startedAt));
      for (let i = 1; i < mine.length; i++) expect(ms(mine[i].startedAt)).toBeGreaterThanOrEqual(ms(mine[i - 1].endedAt));
    }
    // eight weeks of it, the rounding doing something
    expect(DateTime.fromISO(plan.entries[0].startedAt).diff(DateTime.fromISO(now), 'weeks').weeks).toBeLessThanOrEqual(-7.5);
    expect(plan.entries.filter((x) => billedOf(minutesOf(x), x.billable) !== minutesOf(x)).length).toBeGreaterThan(plan.entries.length / 2);
  });

  it('books every call inside the engagement and the assistant’s working hours, apart from the assistant’s other calls by the buffer, and changes each before it starts', () => {
    for (const x of plan.appointments) {
      const a = plan.assistants.find((y) => y.key === x.assistantKey)!;
      const e = plan.engagements.find((y) => y.key === x.engagementKey)!;
      for (const [s, t] of [[x.startsAt, x.endsAt], ...(x.change?.startsAt ? [[x.change.startsAt, x.change.endsAt!]] : [])]) {
        expect(ms(s)).toBeGreaterThan(ms(plan.startClock));
        expect(DateTime.fromISO(s, { zone: AGENCY_ZONE }).toISODate()! >= e.startsOn).toBe(true);
        const start = DateTime.fromISO(s, { zone: a.timezone });
        const end = DateTime.fromISO(t, { zone: a.timezone });
        const hours = a.workingHours.find((w) => w.day === start.weekday);
        expect(hours).toBeDefined();
        expect(start.toFormat('HH:mm') >= hours!.start && end.toFormat('HH:mm') <= hours!.end && end.toISODate() === start.toISODate()).toBe(true);
      }
      if (x.change) {
        expect(ms(x.change.at)).toBeLessThan(ms(x.startsAt));
        expect(x.change.late).toBe(ms(x.change.at) > ms(x.startsAt) - DEMO_SETTINGS.minimumNoticeHours * 3_600_000);
        if (x.change.startsAt) expect(ms(x.change.at)).toBeLessThan(ms(x.change.startsAt));
      }
      if (x.keptAt) expect(ms(x.keptAt)).toBeLessThanOrEqual(ms(now));
    }
    for (const a of plan.assistants) {
      const slots = plan.appointments
        .filter((x) => x.assistantKey === a.key && x.change?.type !== 'cancel')
        .map((x) => [ms(x.change?.startsAt ?? x.startsAt), ms(x.change?.endsAt ?? x.endsAt)])
        .sort((p, q) => p[0] - q[0]);
      for (let i = 1; i < slots.length; i++) expect(slots[i][0]).toBeGreaterThanOrEqual(slots[i - 1][1] + DEMO_SETTINGS.bufferMinutes * 60_000);
    }
    const outcomes = new Set(plan.appointments.map((x) => x.outcome));
    expect([...outcomes].sort()).toEqual(['cancelled', 'kept', 'no-show', 'upcoming']);
    expect(plan.appointments.filter((x) => x.change?.late).length).toBeGreaterThan(0);
  });

  it('has one engagement gone silent, and every other one alive within the agency’s silence', () => {
    const lastActivity = (engagementKey: string) =>
      [
        ...plan.entries.filter((x) => x.engagementKey === engagementKey).map((x) => x.endedAt),
        ...plan.appointments.filter((x) => x.engagementKey === engagementKey && x.keptAt).map((x) => x.keptAt!),
        ...plan.communications.filter((x) => x.engagementKey === engagementKey).map((x) => x.occurredAt),
      ].sort().at(-1)!;
    for (const e of plan.engagements) {
      const days = workingDaysBetween(lastActivity(e.key), now, AGENCY_ZONE);
      if (e.role === 'silent') expect(days).toBeGreaterThanOrEqual(DEMO_SETTINGS.silenceWorkingDays);
      else expect(days).toBeLessThan(DEMO_SETTINGS.silenceWorkingDays);
    }
    expect(plan.engagements.filter((e) => e.role === 'silent')).toHaveLength(1);
  });

  it('brings one retainer past 80 % of this month’s included hours, and no other one near it', () => {
    const r = plan.retainer;
    expect(r.usedMinutes / r.includedMinutes).toBeGreaterThanOrEqual(0.8);
    const e = plan.engagements.find((x) => x.key === r.engagementKey)!;
    expect(e.plan.type === 'retainer' && e.plan.includedHours * 60).toBe(r.includedMinutes);
    const approved = new Set(plan.sheets.filter((s) => s.outcome !== 'open' && s.outcome !== 'submitted').map((s) => `${s.engagementKey}/${s.isoWeek}`));
    for (const other of plan.engagements.filter((x) => x.plan.type === 'retainer' && x.key !== r.engagementKey)) {
      const used = plan.entries.filter((x) => x.engagementKey === other.key && x.month === r.month && approved.has(`${x.engagementKey}/${x.isoWeek}`)).reduce((s, x) => s + billedOf(minutesOf(x), x.billable), 0);
      expect(other.plan.type === 'retainer' && used / (other.plan.includedHours * 60)).toBeLessThan(0.8);
    }
  });

  it('plans every timesheet outcome: approved by clients and by the agency, rejected then approved, awaiting approval, open', () => {
    expect(new Set(plan.sheets.map((s) => s.outcome))).toEqual(new Set(['approved-by-client', 'approved-by-agency', 'rejected-then-approved', 'submitted', 'open']));
  });
});

describe('the demo invoices', () => {
  const invoices = (periods: string[]) => periods.flatMap((p) => Array.from({ length: 12 }, (_, i) => ({ id: `${p}/${i}`, period: p })));
  it.each([[['2026-11']], [['2026-10', '2026-11']]])('take every state over the months %j', (periods) => {
    const roles = invoiceRoles(invoices(periods), '2026-12');
    expect(new Set(roles.values())).toEqual(new Set(['draft', 'issued', 'paid', 'paid-credited', 'void']));
    expect([...roles.entries()].filter(([, r]) => r === 'draft').every(([id]) => id.startsWith(periods.at(-1)!))).toBe(true);
  });
});
