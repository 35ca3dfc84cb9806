import { utilizationRows } from './utilization';

describe('utilization', () => {
  const assistants = [
    { _id: 'a', weeklyCapacityMinutes: 2400 },
    { _id: 'b', weeklyCapacityMinutes: 1800 },
    { _id: 'z', weeklyCapacityMinutes: 0 },
  ];

  it('sums every minute logged in the week against the capacity, with a row for everyone', () => {
    const rows = utilizationRows('2026-W11', assistants, [
      { assistantId: 'a', isoWeek: '2026-W11', actualMinutes: 90 },
      { assistantId: 'a', isoWeek: '2026-W11', actualMinutes: 60 }, // not billable: counts too
      { assistantId: 'a', isoWeek: '2026-W12', actualMinutes: 600 }, // another week
      { assistantId: 'a', isoWeek: '2026-W11', actualMinutes: -10 }, // an adjusting entry of this week
    ]);
    // a: 90 + 60 - 10 = 140 of 2400 = 0.058333… -> 0.0583
    expect(rows).toEqual([
      { assistantId: 'a', week: '2026-W11', loggedMinutes: 140, capacityMinutes: 2400, utilization: 0.0583 },
      { assistantId: 'b', week: '2026-W11', loggedMinutes: 0, capacityMinutes: 1800, utilization: 0 },
      { assistantId: 'z', week: '2026-W11', loggedMinutes: 0, capacityMinutes: 0, utilization: null },
    ]);
  });
});
