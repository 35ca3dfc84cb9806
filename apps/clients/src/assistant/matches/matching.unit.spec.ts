import type { Reliability, WorkingHoursV1 } from '@vaops/contracts';
import { MATCHING_WORKED_EXAMPLE } from '@vaops/testing/matching-example';
import { DEFAULT_BUSINESS_HOURS, WEIGHTS, concentrationOf, exclusion, rankMatches, reliabilityScore, skillsMatched, weeklyOverlap, type MatchCandidate, type MatchRequest } from './matching';

const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]): WorkingHoursV1[] => days.map((day) => ({ day, start, end }));
const NY = { zone: 'America/New_York', hours: DEFAULT_BUSINESS_HOURS };
const reliability = (over: Partial<Reliability> = {}): Reliability => ({ kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0, ...over });

const candidate = (over: Partial<MatchCandidate> = {}): MatchCandidate => ({
  assistantId: 'a',
  name: 'VA',
  timezone: 'America/New_York',
  weeklyCapacityHours: 30,
  committedWeeklyHours: 0,
  skills: [],
  workingHours: weekdays('09:00', '17:00'),
  commitments: [],
  reliability: null,
  ...over,
});

const request = (over: Partial<MatchRequest> = {}): MatchRequest => ({
  clientId: 'client-1',
  clientZone: 'America/New_York',
  businessHours: DEFAULT_BUSINESS_HOURS,
  weeklyHours: 10,
  kind: 'part-time',
  skills: [],
  from: '2026-03-02', // a Monday; the US changes its clocks on 8 March, the UK on 29 March
  weeks: 4,
  ...over,
});

describe('weeklyOverlap', () => {
  it('counts the same zone and the same hours as the whole business week, every week', () => {
    expect(weeklyOverlap(NY, NY, '2026-03-02', 4)).toEqual([2400, 2400, 2400, 2400]);
  });

  describe('when only one side changes its clocks in the coming weeks', () => {
    it('shows the weeks in which New York is on summer time and London not yet: one more hour a day', () => {
      // 09:00-17:00 in London against 09:00-17:00 in New York: 14:00-17:00 London (3 h) while both are
      // on winter time, 13:00-17:00 (4 h) between 8 and 29 March 2026
      expect(weeklyOverlap(NY, { zone: 'Europe/London', hours: weekdays('09:00', '17:00') }, '2026-03-02', 4)).toEqual([900, 1200, 1200, 1200]);
    });

    it('shows the autumn weeks in which London is back on winter time and New York not yet', () => {
      // the UK ends summer time on 25 October 2026, the US on 1 November: 4 h a day that week, 3 h after
      expect(weeklyOverlap(NY, { zone: 'Europe/London', hours: weekdays('09:00', '17:00') }, '2026-10-19', 3)).toEqual([900, 1200, 900]);
    });
  });

  describe('when the zones are on opposite sides of the world', () => {
    it('finds nothing between day hours in Manila and day hours in New York', () => {
      expect(weeklyOverlap(NY, { zone: 'Asia/Manila', hours: weekdays('09:00', '17:00') }, '2026-03-02', 2)).toEqual([0, 0]);
    });

    it("counts a Manila night shift across midnight (21:00-24:00 and the next day's 00:00-05:00) against New York's day, before and after New York's clock change", () => {
      // Manila 21:00-05:00 = 13:00-21:00 UTC; New York 09:00-17:00 = 14:00-22:00 UTC in winter (7 h), 13:00-21:00 in summer (8 h)
      const night = [...weekdays('21:00', '24:00'), ...weekdays('00:00', '05:00', [2, 3, 4, 5, 6])];
      expect(weeklyOverlap(NY, { zone: 'Asia/Manila', hours: night }, '2026-03-02', 2)).toEqual([2100, 2400]);
    });

    it('counts a day that starts a day later in Sydney in the right client week', () => {
      // Sydney Tuesday 08:00-10:00 (AEDT, UTC+11) is Monday 16:00-18:00 in New York (EST): 1 h in business hours
      expect(weeklyOverlap(NY, { zone: 'Australia/Sydney', hours: [{ day: 2, start: '08:00', end: '10:00' }] }, '2026-03-02', 1)).toEqual([60]);
    });
  });

  it('counts nothing for an assistant without working hours', () => {
    expect(weeklyOverlap(NY, { zone: 'Europe/London', hours: [] }, '2026-03-02', 4)).toEqual([0, 0, 0, 0]);
  });

  it('counts overlapping split shifts once', () => {
    const split = [...weekdays('09:00', '13:00'), ...weekdays('12:00', '17:00')];
    expect(weeklyOverlap(NY, { zone: 'America/New_York', hours: split }, '2026-03-02', 1)).toEqual([2400]);
  });
});

describe('exclusion: full-time exclusivity and capacity', () => {
  it('excludes an assistant holding a full-time engagement from any new one', () => {
    const c = candidate({ weeklyCapacityHours: 60, committedWeeklyHours: 40, commitments: [{ clientId: 'x', kind: 'full-time', weeklyHours: 40 }] });
    expect(exclusion(c, request({ weeklyHours: 5 }))).toMatch(/full-time/);
  });

  it('asks a full-time engagement for an assistant without commitments', () => {
    const busy = candidate({ weeklyCapacityHours: 40, committedWeeklyHours: 2, commitments: [{ clientId: 'x', kind: 'part-time', weeklyHours: 2 }] });
    expect(exclusion(busy, request({ kind: 'full-time', weeklyHours: 30 }))).toMatch(/without other engagements/);
    expect(exclusion(candidate({ weeklyCapacityHours: 40 }), request({ kind: 'full-time', weeklyHours: 40 }))).toBeNull();
  });

  it('excludes an assistant whose spare hours are fewer than asked, and takes one with exactly enough', () => {
    const c = candidate({ weeklyCapacityHours: 30, committedWeeklyHours: 20.5, commitments: [{ clientId: 'x', kind: 'part-time', weeklyHours: 20.5 }] });
    expect(exclusion(c, request({ weeklyHours: 9.75 }))).toMatch(/spare 9.5 h\/week, 9.75 asked/);
    expect(exclusion(c, request({ weeklyHours: 9.5 }))).toBeNull();
  });

  it('excludes an assistant committed over capacity by an override', () => {
    expect(exclusion(candidate({ weeklyCapacityHours: 10, committedWeeklyHours: 12 }), request({ weeklyHours: 1 }))).not.toBeNull();
  });
});

describe('the parts of the score', () => {
  it('matches skills ignoring case and spaces, in the order asked', () => {
    expect(skillsMatched(['Bookkeeping', 'ad-copy ', 'website'], ['website', 'bookkeeping'])).toEqual(['Bookkeeping', 'website']);
  });

  it("measures concentration as the largest client's share of hours, now and after taking the client", () => {
    const c = candidate({ commitments: [{ clientId: 'x', kind: 'part-time', weeklyHours: 8 }, { clientId: 'y', kind: 'part-time', weeklyHours: 12 }] });
    expect(concentrationOf(c, 'client-1', 10)).toEqual({ largestClientShare: 0.6, largestClientShareAfter: 0.4 });
    // more hours for a client they already work for
    expect(concentrationOf(c, 'y', 10)).toEqual({ largestClientShare: 0.6, largestClientShareAfter: 0.733 });
    expect(concentrationOf(candidate(), 'client-1', 10)).toEqual({ largestClientShare: null, largestClientShareAfter: 1 });
  });

  it('scores reliability with one kept and one missed assumed, and never counts changes made in time', () => {
    expect(reliabilityScore(reliability())).toBe(0.5);
    expect(reliabilityScore(reliability({ kept: 18, noShow: 1, cancelledLate: 1 }))).toBeCloseTo(19 / 22);
    expect(reliabilityScore(reliability({ kept: 1 }))).toBeLessThan(reliabilityScore(reliability({ kept: 49, noShow: 1 })));
    expect(reliabilityScore(reliability({ kept: 4, rescheduledInTime: 3, cancelledInTime: 2 }))).toBe(reliabilityScore(reliability({ kept: 4 })));
  });
});

describe('rankMatches', () => {
  it('ranks by the weighted parts and explains each figure (the worked example of docs/matching.md)', () => {
    const london = candidate({
      assistantId: 'ana',
      timezone: 'Europe/London',
      weeklyCapacityHours: 30,
      committedWeeklyHours: 18,
      skills: ['bookkeeping', 'social-media', 'website'],
      commitments: [
        { clientId: 'x', kind: 'part-time', weeklyHours: 8 },
        { clientId: 'y', kind: 'part-time', weeklyHours: 10 },
      ],
      reliability: reliability({ kept: 18, noShow: 1, cancelledLate: 1, rescheduledInTime: 2 }),
    });
    const manila = candidate({
      assistantId: 'ben',
      timezone: 'Asia/Manila',
      weeklyCapacityHours: 40,
      skills: ['bookkeeping'],
      workingHours: [...weekdays('21:00', '24:00'), ...weekdays('00:00', '05:00', [2, 3, 4, 5, 6])],
    });
    const full = candidate({ assistantId: 'cy', weeklyCapacityHours: 40, committedWeeklyHours: 40, commitments: [{ clientId: 'z', kind: 'full-time', weeklyHours: 40 }] });
    const short = candidate({ assistantId: 'dee', weeklyCapacityHours: 20, committedWeeklyHours: 15, commitments: [{ clientId: 'z', kind: 'part-time', weeklyHours: 15 }] });

    const ranked = rankMatches(request({ skills: ['bookkeeping', 'social-media', 'website'] }), [manila, full, short, london]);
    expect(ranked.map((m) => m.assistantId)).toEqual(['ana', 'ben']);
    const [ana, ben] = ranked;
    expect(ana).toMatchObject(MATCHING_WORKED_EXAMPLE.ana);
    expect(ben).toMatchObject(MATCHING_WORKED_EXAMPLE.ben);
    expect(ben.reasons).toEqual(expect.arrayContaining(MATCHING_WORKED_EXAMPLE.benReasonsInclude));
    expect(Object.values(WEIGHTS).reduce((s, w) => s + w, 0)).toBe(100);
  });

  it('breaks ties on the score by skills, then overlap, then spare hours, then the assistant id', () => {
    const twin = (assistantId: string, over: Partial<MatchCandidate> = {}) => candidate({ assistantId, ...over });
    // same score, same everything: by id, whatever the order read
    expect(rankMatches(request(), [twin('b'), twin('a'), twin('c')]).map((m) => m.assistantId)).toEqual(['a', 'b', 'c']);
    expect(rankMatches(request(), [twin('c'), twin('b'), twin('a')]).map((m) => [m.assistantId, m.rank])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('puts the assistant with more spare hours first when the rest is equal', () => {
    const ranked = rankMatches(request(), [candidate({ assistantId: 'a', weeklyCapacityHours: 20 }), candidate({ assistantId: 'b', weeklyCapacityHours: 40 })]);
    expect(ranked.map((m) => m.assistantId)).toEqual(['b', 'a']);
  });

  it('offers only assistants without commitments for a full-time engagement', () => {
    const ranked = rankMatches(request({ kind: 'full-time', weeklyHours: 40 }), [
      candidate({ assistantId: 'free', weeklyCapacityHours: 40 }),
      candidate({ assistantId: 'busy', weeklyCapacityHours: 60, committedWeeklyHours: 2, commitments: [{ clientId: 'x', kind: 'part-time', weeklyHours: 2 }] }),
      candidate({ assistantId: 'small', weeklyCapacityHours: 30 }),
    ]);
    expect(ranked.map((m) => m.assistantId)).toEqual(['free']);
  });

  it('treats an empty skill list as neutral: every assistant gets the full skills part', () => {
    const [m] = rankMatches(request(), [candidate()]);
    expect(m.scoreParts.skills).toBe(30);
    expect(m.reasons).toContain('no skills asked');
  });

  it('ranks 200 assistants in well under a request budget', () => {
    const roster = Array.from({ length: 200 }, (_, i) =>
      candidate({ assistantId: `a${String(i).padStart(3, '0')}`, timezone: ['Asia/Manila', 'Europe/London', 'America/Bogota', 'Australia/Sydney'][i % 4], weeklyCapacityHours: 20 + (i % 20) }),
    );
    const t0 = performance.now();
    expect(rankMatches(request(), roster)).toHaveLength(200);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
