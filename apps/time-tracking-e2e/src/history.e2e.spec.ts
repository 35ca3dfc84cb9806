import { engagementSuite, expectHistory, outsiders, setTestClock } from '@vaops/testing';

/**
 * "Who approved week 11 and what did it say before the adjustment": a week's history and its state as
 * of an instant, against running clients and time-tracking services (real Kafka and FerretDB, test
 * clocks). Logged and submitted by the assistant, rejected with a reason and then approved by the
 * client, adjusted after approval and approved again by the agency, each with the correlation id of its
 * request; each role's scope.
 */
describe('timesheet week history and as-of over HTTP', () => {
  const suite = engagementSuite('time-tracking', 'th');
  const { admin, get, post } = suite;
  let entryId: string;
  const week = () => `/timesheets/${suite.engagement.engagementId}/2026-W11`;
  const act = async (now: string, path: string, body: object, token: string, correlationId: string, status = 200) => {
    await setTestClock(suite.service, admin, now);
    return post(path, body, token, status, correlationId);
  };

  beforeAll(async () => {
    const { client, assistant, engagement: { engagementId } } = suite;
    const logged = await act('2026-03-20T12:00:00Z', '/time-entries', { engagementId, category: 'data-entry', startedAt: '2026-03-10T10:00:00Z', endedAt: '2026-03-10T11:00:00Z', billable: true }, assistant, 'th-log', 201);
    entryId = logged.body.id;
    await act('2026-03-20T13:00:00Z', `${week()}/submit`, {}, assistant, 'th-submit-1');
    await act('2026-03-21T09:00:00Z', `${week()}/reject`, { reason: 'which project was this?' }, client, 'th-reject');
    await act('2026-03-21T10:00:00Z', `${week()}/submit`, {}, assistant, 'th-submit-2');
    await act('2026-03-22T09:00:00Z', `${week()}/approve`, {}, client, 'th-approve-1');
    await act('2026-03-25T09:00:00Z', `/time-entries/${entryId}/adjustments`, { category: 'data-entry', startedAt: '2026-03-10T10:00:00Z', endedAt: '2026-03-10T10:45:00Z', billable: true, reason: 'left at 10:45' }, assistant, 'th-adjust', 201);
    await act('2026-03-25T10:00:00Z', `${week()}/submit`, {}, assistant, 'th-submit-3');
    await act('2026-03-26T09:00:00Z', `${week()}/approve`, {}, admin, 'th-approve-2');
  }, 120_000);

  it('lists every change of the week in order: what, who, when, why and the correlation id', async () => {
    const items = await expectHistory(get(`${week()}/history`), [
      ['TimeEntryLogged', 'va-th', '2026-03-20T12:00:00.000Z', undefined, 'th-log'],
      ['TimesheetSubmitted', 'va-th', '2026-03-20T13:00:00.000Z', undefined, 'th-submit-1'],
      ['TimesheetRejected', 'exec-th', '2026-03-21T09:00:00.000Z', 'which project was this?', 'th-reject'],
      ['TimesheetSubmitted', 'va-th', '2026-03-21T10:00:00.000Z', undefined, 'th-submit-2'],
      ['TimesheetApproved', 'exec-th', '2026-03-22T09:00:00.000Z', undefined, 'th-approve-1'],
      ['TimeEntryAdjusted', 'va-th', '2026-03-25T09:00:00.000Z', 'left at 10:45', 'th-adjust'],
      ['TimesheetSubmitted', 'va-th', '2026-03-25T10:00:00.000Z', undefined, 'th-submit-3'],
      ['TimesheetApproved', 'ops-th', '2026-03-26T09:00:00.000Z', undefined, 'th-approve-2'],
    ]);
    expect(items[4].changes).toMatchObject({ approvedBy: 'client', billedMinutes: 60 });
    expect(items[5].changes).toMatchObject({ adjusts: entryId, actualMinutes: -15 });
  });

  it('answers the week as it stood: 404 before its first change, approved with 60 minutes before the adjustment, today\'s answer after', async () => {
    expect((await get(`${week()}?asOf=2026-03-20T11:59:59Z`, admin, 404)).body.code).toBe('TIMESHEET.NOT_FOUND');
    const approvedFirst = await get(`${week()}?asOf=2026-03-24T00:00:00Z`);
    expect(approvedFirst.body).toMatchObject({ status: 'approved', version: 4, billedMinutes: 60 });
    expect(approvedFirst.body.entries).toEqual([expect.objectContaining({ id: entryId, actualMinutes: 60, billedMinutes: 60, status: 'approved', adjusts: null })]);
    expect(approvedFirst.headers.etag).toBe('"4"');
    expect((await get(`${week()}?asOf=2026-03-21T09:30:00Z`)).body).toMatchObject({ status: 'rejected', version: 2, entries: [{ id: entryId, status: 'rejected' }] });
    const after = await get(`${week()}?asOf=2026-03-27T00:00:00Z`);
    expect(after.body).toEqual((await get(week())).body);
    // the hour stays, corrected by the adjusting entry's −15: the week bills 45 minutes
    expect(after.body).toMatchObject({ status: 'approved', version: 6, billedMinutes: 45, entries: [{ id: entryId, billedMinutes: 60, supersededBy: expect.any(String), status: 'approved' }, { adjusts: entryId, billedMinutes: -15, status: 'approved' }] });
    expect(after.body.entries[0].supersededBy).toBe(after.body.entries[1].id);
    const bad = await get(`${week()}?asOf=2026-W11`, admin, 400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
  });

  it('scopes both as the current week: its client (entries once approved) and assistant; another client, assistant or agency 404', async () => {
    const { client, assistant, agencyId, engagement } = suite;
    expect((await get(`${week()}/history`, client)).body.items).toHaveLength(8);
    expect((await get(`${week()}/history`, assistant)).body.items).toHaveLength(8);
    // as the week's GET: a client sees the total it was asked to approve, and entries once approved
    expect((await get(`${week()}?asOf=2026-03-21T12:00:00Z`, client)).body).toMatchObject({ status: 'submitted', billedMinutes: 60, entries: [] });
    expect((await get(`${week()}?asOf=2026-03-24T00:00:00Z`, client)).body.entries).toHaveLength(1);
    for (const t of Object.values(outsiders(agencyId))) {
      expect((await get(`${week()}/history`, t, 404)).body.code).toBe('ENGAGEMENT.NOT_FOUND');
      await get(`${week()}?asOf=2026-03-24T00:00:00Z`, t, 404);
    }
    await get(`/timesheets/${engagement.engagementId}/2026-W99/history`, admin, 400);
  });
});
