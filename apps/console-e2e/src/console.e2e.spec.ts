import { DateTime } from 'luxon';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchChromium, signInToConsole, startService, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

/**
 * The console on the real servers, fed by running clients and scheduling services on one topic prefix,
 * driven through a real headless Chromium: each role signs in on the demo page and sees its day.
 * The tests run in order and build on each other's data, as an agency's day does (the alerts test gives
 * the notice and makes the retainer the clients page shows).
 */
describe('the console in a browser', () => {
  const agency = uniqueName('agency-console').replace(/[^a-zA-Z0-9-]/g, '-');
  const admin = tokenFor({ sub: `ops-${agency}`, agencyId: agency, role: 'agency-admin' });
  let clients: RunningService;
  let scheduling: RunningService;
  let timeTracking: RunningService;
  let billing: RunningService;
  let analytics: RunningService;
  let consoleApp: RunningService;
  let browser: Browser;
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const ids = { client: '', other: '', assistant: '', engagement: '', otherEngagement: '' };
  const asAssistant = () => tokenFor({ sub: 'ana', agencyId: agency, role: 'assistant', assistantId: ids.assistant });
  const week = { jones: '', harbor: '' };
  const entryDay = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  const allDay = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' }));

  const api = async (svc: RunningService, path: string, body: object) => {
    const r = await request(svc.url).post(path).set('Authorization', `Bearer ${admin}`).send(body);
    if (r.status >= 300) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  };

  beforeAll(async () => {
    const prefix = `${uniqueName('console').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    [clients, scheduling, timeTracking, billing, analytics] = await Promise.all(['clients', 'scheduling', 'time-tracking', 'billing', 'analytics'].map((s) => startService(s, { VAOPS_TOPIC_PREFIX: prefix })));
    consoleApp = await startService('console', {
      VAOPS_CLIENTS_URL: clients.url,
      VAOPS_SCHEDULING_URL: scheduling.url,
      VAOPS_TIME_TRACKING_URL: timeTracking.url,
      VAOPS_BILLING_URL: billing.url,
      VAOPS_ANALYTICS_URL: analytics.url,
      VAOPS_DEMO_AGENCY: agency,
    });
    // every change inside 30 days is late: the rescheduled appointment below is flagged
    await request(clients.url).put('/agency/settings').set('Authorization', `Bearer ${admin}`).send({ timezone: 'UTC', minimumNoticeHours: 720, bufferMinutes: 0, roundingMinutes: 0, roundingMode: 'up', silenceWorkingDays: 5 }).expect(200);
    ids.client = (await api(clients, '/clients', { name: 'Jones Realty', email: 'ops@jones.example', timezone: 'America/New_York', currency: 'USD' })).id;
    ids.other = (await api(clients, '/clients', { name: 'Harbor Bakery', email: 'ops@harbor.example', timezone: 'Europe/Berlin', currency: 'EUR' })).id;
    ids.assistant = (await api(clients, '/assistants', { name: 'Ana Lima', email: 'ana@va.example', timezone: 'Europe/London', weeklyCapacityHours: 30, skills: [], payRate: { amountMinor: 1500, currency: 'USD' }, workingHours: allDay })).id;
    const startsOn = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    ids.engagement = (await api(clients, '/engagements', { clientId: ids.client, assistantId: ids.assistant, kind: 'part-time', weeklyHours: 5, startsOn, noticePeriodDays: 14, plan: { type: 'hourly', rate: { amountMinor: 4000, currency: 'USD' } } })).id;
    await waitUntil(async () => (await request(scheduling.url).get(`/engagements/${ids.engagement}/scheduling-policy`).set('Authorization', `Bearer ${admin}`)).status === 200, { timeoutMs: 30_000, what: 'scheduling to learn the engagement' });
    await waitUntil(async () => (await request(scheduling.url).get('/agency/scheduling-settings').set('Authorization', `Bearer ${admin}`)).body.minimumNoticeHours === 720, { timeoutMs: 30_000, what: 'scheduling to learn the settings' });
    await api(scheduling, '/appointments', { engagementId: ids.engagement, kind: 'check-in', startsAt: `${tomorrow}T15:00:00Z`, endsAt: `${tomorrow}T15:30:00Z`, title: 'Weekly check-in with Jones' });
    const moved = await api(scheduling, '/appointments', { engagementId: ids.engagement, kind: 'video-conference', startsAt: `${tomorrow}T17:00:00Z`, endsAt: `${tomorrow}T17:30:00Z`, title: 'Listing photos' });
    await api(scheduling, `/appointments/${moved.id}/reschedule`, { startsAt: `${tomorrow}T18:00:00Z`, endsAt: `${tomorrow}T18:30:00Z`, reason: 'photographer late' });
    // the read models the pages read: the roster and the agenda
    await waitUntil(
      async () => {
        const items = (await request(scheduling.url).get(`/agenda?date=${tomorrow}&assistantId=${ids.assistant}`).set('Authorization', `Bearer ${admin}`)).body.items as { late: boolean }[] | undefined;
        return items?.length === 2 && items[1].late;
      },
      { timeoutMs: 30_000, what: 'the agenda' },
    );
    await waitUntil(async () => (await request(clients.url).get('/assistants').set('Authorization', `Bearer ${admin}`)).body.items?.length === 1, { timeoutMs: 30_000, what: 'the roster' });
    // a week of time for each client, submitted by the assistant
    ids.otherEngagement = (await api(clients, '/engagements', { clientId: ids.other, assistantId: ids.assistant, kind: 'part-time', weeklyHours: 5, startsOn, noticePeriodDays: 14, plan: { type: 'hourly', rate: { amountMinor: 4000, currency: 'EUR' } } })).id;
    const day = entryDay;
    for (const [engagementId, hour, key] of [[ids.engagement, '09', 'jones'], [ids.otherEngagement, '11', 'harbor']] as const) {
      await waitUntil(async () => (await request(timeTracking.url).get(`/time-entries?engagementId=${engagementId}`).set('Authorization', `Bearer ${admin}`)).status === 200, { timeoutMs: 30_000, what: 'time-tracking to learn the engagement' });
      const entry = { engagementId, category: 'data-entry', startedAt: `${day}T${hour}:00:00Z`, endedAt: `${day}T${hour}:45:00Z`, billable: true };
      const made = await waitUntil(
        async () => {
          const r = await request(timeTracking.url).post('/time-entries').set('Authorization', `Bearer ${asAssistant()}`).send(entry);
          return r.status === 201 ? (r.body as { id: string; position: number }) : undefined;
        },
        { timeoutMs: 30_000, what: 'an entry' },
      );
      week[key] = (await request(timeTracking.url).get(`/time-entries/${made.id}?minPosition=${made.position}`).set('Authorization', `Bearer ${admin}`).expect(200)).body.isoWeek;
      await request(timeTracking.url).post(`/timesheets/${engagementId}/${week[key]}/submit`).set('Authorization', `Bearer ${asAssistant()}`).expect(200);
    }
    await waitUntil(async () => (await request(timeTracking.url).get('/timesheets?status=submitted').set('Authorization', `Bearer ${admin}`)).body.items?.length === 2, { timeoutMs: 30_000, what: 'the submitted weeks' });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([consoleApp?.stop(), clients?.stop(), scheduling?.stop(), timeTracking?.stop(), billing?.stop(), analytics?.stop()]);
  });

  const signInAs = (label: string | RegExp, bypassCSP = false): Promise<Page> => signInToConsole(browser, consoleApp.url, label, bypassCSP);

  /** Submits a form with its button and checks where the browser lands (saying what the page said if elsewhere). */
  const submit = async (page: Page, button: string, landing: RegExp): Promise<void> => {
    await Promise.all([page.waitForEvent('framenavigated'), page.getByRole('button', { name: button, exact: true }).click()]);
    await page.waitForLoadState('domcontentloaded');
    if (!landing.test(page.url())) throw new Error(`"${button}" landed on ${page.url()}: ${await page.locator('main').innerText()}`);
  };

  it('sends a visitor without a session to the demo sign-in page, which lists the agency, its clients and assistants', async () => {
    const home = await request(consoleApp.url).get('/today');
    expect({ status: home.status, location: home.headers.location }).toEqual({ status: 303, location: '/signin' });
    const signin = await request(consoleApp.url).get('/signin').expect(200);
    for (const name of ['Agency admin', 'Jones Realty', 'Harbor Bakery', 'Ana Lima']) expect(signin.text).toContain(name);
    expect((await request(consoleApp.url).post('/signin').type('form').send({ as: 'client:not-an-id' })).status).toBe(400);
    const ok = await request(consoleApp.url).post('/signin').type('form').send({ as: `client:${ids.client}` });
    expect(ok.status).toBe(303);
    expect(ok.headers['set-cookie']?.[0]).toMatch(/^vaops_session=.+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800$/);
  });

  it("shows the agency every assistant's day across clients, in the assistant's zone and the viewer's", async () => {
    const page = await signInAs('Agency admin');
    await page.goto(`${consoleApp.url}/today?date=${tomorrow}`);
    const rows = page.locator(`tr[data-appointment]`);
    await expect(rows.count()).resolves.toBe(2);
    const cells = await rows.nth(0).locator('td').allInnerTexts();
    // 15:00 UTC is 15:00 in London in winter or 16:00 in summer; the viewer (a browser in Tokyo) sees 00:00 the next day
    expect(cells[0]).toMatch(/^1[56]:00–1[56]:30$/);
    expect(cells[1]).toBe('00:00 GMT+9');
    expect(cells.slice(2, 6)).toEqual(['Weekly check-in with Jones', 'Jones Realty', 'booked', '']);
    // rescheduled inside the agency's notice: flagged
    expect((await rows.nth(1).locator('td').allInnerTexts()).slice(2, 6)).toEqual(['Listing photos', 'Jones Realty', 'booked', 'late change']);
    await expect(page.getByRole('heading', { level: 2 }).allInnerTexts()).resolves.toEqual(['Ana Lima (Europe/London)']);
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin/);
    await page.goto(`${consoleApp.url}/today`);
    expect(new URL(page.url()).pathname).toBe('/signin');
  });

  it('shows a client its own day with its assistant, and another client nothing of it', async () => {
    const page = await signInAs('Jones Realty');
    await page.goto(`${consoleApp.url}/today?date=${tomorrow}`);
    const cells = await page.locator('tr[data-appointment]').first().locator('td').allInnerTexts();
    expect(cells.slice(2, 5)).toEqual(['Weekly check-in with Jones', 'Ana Lima', 'booked']);
    await expect(page.locator('tr[data-appointment]').count()).resolves.toBe(2);
    const other = await signInAs('Harbor Bakery');
    await other.goto(`${consoleApp.url}/today?date=${tomorrow}`);
    await expect(other.locator('tr[data-appointment]').count()).resolves.toBe(0);
    await expect(other.getByText('Nothing booked.').count()).resolves.toBe(1);
  });

  it('shows an assistant their own day', async () => {
    const page = await signInAs('Ana Lima');
    await page.goto(`${consoleApp.url}/today?date=${tomorrow}`);
    const cells = await page.locator('tr[data-appointment]').first().locator('td').allInnerTexts();
    expect(cells.slice(2, 5)).toEqual(['Weekly check-in with Jones', 'Jones Realty', 'booked']);
  });

  it('lets a client approve its own week (and see no other), and the agency approve the rest; a stale form is refused', async () => {
    const jones = await signInAs('Jones Realty');
    await jones.goto(`${consoleApp.url}/timesheets`);
    const mine = jones.locator('tr[data-sheet]');
    await expect(mine.count()).resolves.toBe(1);
    expect((await mine.locator('td').allInnerTexts()).slice(0, 4)).toEqual([week.jones, 'Ana Lima', '0 h 45', 'submitted']);
    // the version the page was rendered with, kept to try it again once it is stale
    const seen = await mine.locator('input[name="version"]').first().inputValue();
    await jones.getByRole('button', { name: `Approve ${week.jones} of Ana Lima` }).click();
    await jones.waitForURL(/status=approved/);
    await expect(jones.getByRole('status').innerText()).resolves.toBe(`${week.jones} approved.`);
    expect((await jones.locator('tr[data-sheet] td').allInnerTexts()).slice(0, 4)).toEqual([week.jones, 'Ana Lima', '0 h 45', 'approved']);

    const harbor = await signInAs('Harbor Bakery');
    await harbor.goto(`${consoleApp.url}/timesheets?status=approved`);
    await expect(harbor.locator('tr[data-sheet]').count()).resolves.toBe(0);

    const ops = await signInAs('Agency admin');
    await ops.goto(`${consoleApp.url}/timesheets`);
    const waiting = ops.locator('tr[data-sheet]');
    await expect(waiting.count()).resolves.toBe(1);
    expect((await waiting.locator('td').allInnerTexts()).slice(0, 5)).toEqual([week.harbor, 'Harbor Bakery', 'Ana Lima', '0 h 45', 'submitted']);
    await ops.getByRole('button', { name: `Approve ${week.harbor} of Ana Lima` }).click();
    await ops.waitForURL(/status=approved/);
    await expect(ops.locator('tr[data-sheet]').count()).resolves.toBe(week.harbor === week.jones ? 2 : 1);

    // a form rendered before the approval, sent again: the week moved on, nothing is approved twice
    const cookie = `vaops_session=${tokenFor({ sub: 'c', agencyId: agency, role: 'client', clientId: ids.client })}`;
    const stale = await request(consoleApp.url).post('/timesheets/approve').set('Cookie', cookie).type('form').send({ engagementId: ids.engagement, isoWeek: week.jones, version: seen });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('changed since you saw it');
    const blank = await request(consoleApp.url).post('/timesheets/reject').set('Cookie', cookie).type('form').send({ engagementId: ids.engagement, isoWeek: week.jones, version: seen, reason: ' ' });
    expect(blank.status).toBe(400);
  });

  it('lets the agency run billing, issue an invoice and mark it paid, and each client see only its own', async () => {
    const period = entryDay.slice(0, 7);
    // billing has heard of both approved weeks (45 minutes each) before the run
    await waitUntil(
      async () => (await request(billing.url).get(`/payouts?period=${period}`).set('Authorization', `Bearer ${admin}`)).body.items?.[0]?.billedMinutes === 90,
      { timeoutMs: 30_000, what: 'billing to learn the approved time' },
    );
    const ops = await signInAs('Agency admin');
    await ops.getByRole('link', { name: 'Invoices' }).click();
    await ops.locator('form[action="/invoices/billing-runs"] input[name="period"]').fill(period);
    await ops.getByRole('button', { name: 'Run billing' }).click();
    await ops.waitForURL(/done=/);
    await expect(ops.getByRole('status').innerText()).resolves.toBe(`Billing run for ${period}: 2 invoice(s) drafted.`);
    const drafts = await ops.locator('tr[data-invoice]').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent?.trim())));
    // 45 minutes at 40.00 an hour, for each client in its currency
    expect(drafts.sort()).toEqual([
      ['draft', 'Harbor Bakery', period, 'draft', '€30.00', ''],
      ['draft', 'Jones Realty', period, 'draft', '$30.00', ''],
    ]);
    await ops.getByRole('button', { name: `Issue draft for Jones Realty ${period}` }).click();
    await ops.waitForURL(/done=/);
    const issued = (await ops.getByRole('status').innerText()).match(/^Issued (INV-\d{4}-\d{6})\.$/)?.[1];
    expect(issued).toBeDefined();
    await ops.getByRole('button', { name: `Mark paid ${issued}` }).click();
    await ops.waitForURL(/done=/);
    await expect(ops.getByRole('status').innerText()).resolves.toBe(`${issued} marked paid.`);
    const jonesRow = ops.locator('tr[data-invoice]', { hasText: 'Jones Realty' });
    expect((await jonesRow.locator('td').allInnerTexts()).slice(0, 4)).toEqual([issued, 'Jones Realty', period, 'paid']);
    await jonesRow.getByRole('link', { name: issued }).click();
    await expect(ops.locator('body').innerText()).resolves.toContain(issued!);

    const jones = await signInAs('Jones Realty');
    await jones.goto(`${consoleApp.url}/invoices`);
    const mine = await jones.locator('tr[data-invoice] td').allInnerTexts();
    expect(mine.slice(0, 3)).toEqual([issued, period, 'paid']);
    await expect(jones.locator('tr[data-invoice] button').count()).resolves.toBe(0);
    const harbor = await signInAs('Harbor Bakery');
    await harbor.goto(`${consoleApp.url}/invoices`);
    await expect(harbor.locator('tr[data-invoice]', { hasText: issued! }).count()).resolves.toBe(0);
    const assistant = `vaops_session=${asAssistant()}`;
    expect((await request(consoleApp.url).get('/invoices').set('Cookie', assistant)).status).toBe(403);
  });

  it("shows the agency its alerts: notices ending soon, reviews overdue, retainers past 80 %", async () => {
    const put = (path: string, body: object) => request(clients.url).put(path).set('Authorization', `Bearer ${admin}`).send(body).expect(200);
    await api(clients, `/engagements/${ids.otherEngagement}/notice`, { by: 'client', reason: 'moving the bakery online' });
    await put(`/engagements/${ids.engagement}/review-cadence`, { everyDays: 1 });
    // a retainer of one hour, 50 minutes of it approved this month: 83 %
    const kestrel = (await api(clients, '/clients', { name: 'Kestrel Legal', email: 'ops@kestrel.example', timezone: 'Europe/London', currency: 'GBP' })).id;
    const retainer = { type: 'retainer', monthlyFee: { amountMinor: 50000, currency: 'GBP' }, includedHours: 1, overageRate: { amountMinor: 6000, currency: 'GBP' }, rollover: false };
    const startsOn = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    const e = (await api(clients, '/engagements', { clientId: kestrel, assistantId: ids.assistant, kind: 'part-time', weeklyHours: 2, startsOn, noticePeriodDays: 14, plan: retainer })).id;
    const startedAt = new Date(Date.now() - 60 * 60_000);
    startedAt.setUTCSeconds(0, 0);
    const entry = { engagementId: e, category: 'data-entry', startedAt: startedAt.toISOString(), endedAt: new Date(startedAt.getTime() + 50 * 60_000).toISOString(), billable: true };
    const made = await waitUntil(
      async () => {
        const r = await request(timeTracking.url).post('/time-entries').set('Authorization', `Bearer ${asAssistant()}`).send(entry);
        return r.status === 201 ? (r.body as { id: string; position: number }) : undefined;
      },
      { timeoutMs: 30_000, what: 'the retainer entry' },
    );
    const { isoWeek } = (await request(timeTracking.url).get(`/time-entries/${made.id}?minPosition=${made.position}`).set('Authorization', `Bearer ${admin}`).expect(200)).body;
    await request(timeTracking.url).post(`/timesheets/${e}/${isoWeek}/submit`).set('Authorization', `Bearer ${asAssistant()}`).expect(200);
    await request(timeTracking.url).post(`/timesheets/${e}/${isoWeek}/approve`).set('Authorization', `Bearer ${admin}`).expect(200);
    // the console reads this month's burn-down: in the first hour of a month the entry is last month's
    const thisMonth = startedAt.toISOString().slice(0, 7) === new Date().toISOString().slice(0, 7);
    const wanted = async (page: Page) => {
      const rows = async (id: string) => page.locator(`table[data-alerts="${id}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
      return { notices: await rows('notices'), reviews: await rows('reviews'), retainers: await rows('retainers') };
    };
    const ops = await signInAs('Agency admin');
    await ops.getByRole('link', { name: 'Alerts' }).click();
    const endsOn = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    let seen = await wanted(ops);
    await waitUntil(
      async () => {
        await ops.reload();
        seen = await wanted(ops);
        return seen.notices.length === 1 && seen.reviews.length === 1 && seen.retainers.length === (thisMonth ? 1 : 0);
      },
      { timeoutMs: 30_000, what: 'the alerts' },
    ).catch(() => undefined);
    expect(seen).toEqual({
      notices: [['Harbor Bakery', 'Ana Lima', endsOn]],
      reviews: [['Jones Realty', 'Ana Lima', expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]],
      retainers: thisMonth ? [['Kestrel Legal', 'Ana Lima', '83 % (0.8 of 1 h)']] : [],
    });
    const cookie = `vaops_session=${tokenFor({ sub: 'c', agencyId: agency, role: 'client', clientId: ids.client })}`;
    expect((await request(consoleApp.url).get('/alerts').set('Cookie', cookie)).status).toBe(403);
  });

  it('shows the agency its clients: engagements with plan, phase and notice, and a retainer burn-down chart', async () => {
    const ops = await signInAs('Agency admin');
    await ops.getByRole('link', { name: 'Clients' }).click();
    const section = (name: string) => ops.locator('section', { has: ops.getByRole('heading', { level: 2, name: new RegExp(`^${name}`) }) });
    await expect(section('Jones Realty').locator('p[data-engagement]').innerText()).resolves.toMatch(/^Ana Lima · part-time · hourly, \$40\.00 an hour\nno phase from \d{4}-\d{2}-\d{2}$/);
    await expect(section('Harbor Bakery').locator('p[data-engagement]').innerText()).resolves.toContain(`in notice, ends ${new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)}`);
    const kestrel = section('Kestrel Legal');
    await expect(kestrel.locator('p[data-engagement]').innerText()).resolves.toContain('retainer, £500.00 a month for 1 h, then £60.00 an hour');
    // the 50 minutes approved this month (in the first hour of a month they are last month's)
    const month = new Date().toISOString().slice(0, 7);
    const thisMonth = new Date(Date.now() - 60 * 60_000).toISOString().slice(0, 7) === month;
    await expect(kestrel.locator('p[data-burn]').innerText()).resolves.toBe(thisMonth ? `${month}: 0.83 of 1 h approved (83 %)` : `${month}: 0 of 1 h approved (0 %)`);
    const drawn = await ops.evaluate<number[] | null>("(() => { const c = window.Chart && window.Chart.getChart(document.querySelector('section canvas[data-chart]')); return c ? c.data.datasets.map((d) => d.data.filter((v) => v !== null).at(-1)) : null; })()");
    expect(drawn).toEqual([thisMonth ? 0.83 : 0, 0.8, 1]);
    expect((await request(consoleApp.url).get('/clients').set('Cookie', `vaops_session=${asAssistant()}`)).status).toBe(403);
  });

  it("shows the agency its team's week: utilization as analytics counts it, in a chart and a table", async () => {
    // this week in the assistant's zone (she was registered in it), and the time time-tracking holds for it
    const week = DateTime.now().setZone('Europe/London').toFormat("kkkk-'W'WW");
    const entries = (await request(timeTracking.url).get('/time-entries?limit=500').set('Authorization', `Bearer ${admin}`)).body.items as { isoWeek: string; actualMinutes: number }[];
    const logged = entries.filter((e) => e.isoWeek === week).reduce((sum, e) => sum + e.actualMinutes, 0);
    const util = async () => ((await request(analytics.url).get(`/analytics/utilization?week=${week}`).set('Authorization', `Bearer ${admin}`)).body.items ?? []) as { assistantId: string; loggedMinutes: number; utilization: number }[];
    const row = await waitUntil(async () => (await util()).find((u) => u.assistantId === ids.assistant && u.loggedMinutes === logged), { timeoutMs: 30_000, what: `analytics to count ${logged} minutes in ${week}` });
    const ops = await signInAs('Agency admin');
    await ops.getByRole('link', { name: 'Team' }).click();
    await ops.goto(`${consoleApp.url}/team?week=${week}`);
    const cells = await ops.locator(`tr[data-assistant="${ids.assistant}"]`).locator('th, td').allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['Ana Lima', `${Math.round(row.utilization * 100)} %`, `${Math.round(row.loggedMinutes / 6) / 10} h`]);
    expect(cells[4].split(' → ')).toHaveLength(4);
    // Chart.js, served by the console itself, drew the week's bars
    const drawn = await ops.evaluate<number[] | null>("(() => { const c = window.Chart && window.Chart.getChart(document.querySelector('#utilization-chart')); return c ? c.data.datasets[0].data : null; })()");
    expect(drawn).toEqual([Math.round(row.utilization * 100)]);
    const cookie = `vaops_session=${asAssistant()}`;
    expect((await request(consoleApp.url).get('/team').set('Cookie', cookie)).status).toBe(403);
    expect((await request(consoleApp.url).get('/team?week=2026-W60').set('Cookie', `vaops_session=${admin}`)).status).toBe(400);
  });

  it('lets an assistant start and stop the timer, and keeps the page to assistants', async () => {
    const page = await signInAs('Ana Lima');
    await page.getByRole('link', { name: 'My time' }).click();
    await expect(page.getByTestId('timer').innerText()).resolves.toBe('No timer is running.');
    await page.locator('select[name="engagementId"]').selectOption({ label: 'Harbor Bakery' });
    await page.locator('select[name="category"]').selectOption('data-entry');
    await page.getByRole('button', { name: 'Start the timer' }).click();
    await page.waitForURL(/done=/);
    await expect(page.getByRole('status').innerText()).resolves.toBe('Timer started.');
    await expect(page.getByTestId('timer').innerText()).resolves.toMatch(/^Running since \d\d:\d\d GMT\+9 for Harbor Bakery \(data-entry\)\.$/);
    await page.getByRole('button', { name: 'Stop the timer' }).click();
    await page.waitForURL(/done=/);
    await expect(page.getByRole('status').innerText()).resolves.toBe('Timer stopped: under a minute, nothing logged.');
    await expect(page.getByTestId('timer').innerText()).resolves.toBe('No timer is running.');
    // her reliability as scheduling counts it, and her payouts as billing computes them
    const r = (await request(scheduling.url).get(`/assistants/${ids.assistant}/reliability`).set('Authorization', `Bearer ${admin}`).expect(200)).body as { kept: number; noShow: number; rescheduledLate: number; cancelledLate: number };
    await expect(page.getByTestId('reliability').innerText()).resolves.toMatch(new RegExp(`^${r.kept} kept · ${r.noShow} no-show · ${r.rescheduledLate} moved late · ${r.cancelledLate} cancelled late`));
    const month = new Date().toISOString().slice(0, 7);
    const payout = ((await request(billing.url).get(`/payouts?period=${month}&assistantId=${ids.assistant}`).set('Authorization', `Bearer ${admin}`).expect(200)).body.items as { billedMinutes: number }[])[0];
    const payoutRows = await page.getByTestId('payouts').locator('tbody tr').allInnerTexts();
    expect(payoutRows).toHaveLength(3);
    expect(payoutRows[0].split('\t').slice(0, 2)).toEqual([month, `${Math.round((payout?.billedMinutes ?? 0) / 6) / 10} h`]);
    const cookie = `vaops_session=${tokenFor({ sub: 'c', agencyId: agency, role: 'client', clientId: ids.client })}`;
    expect((await request(consoleApp.url).get('/my-time').set('Cookie', cookie)).status).toBe(403);
    const stopAgain = await request(consoleApp.url).post('/my-time/stop').set('Cookie', `vaops_session=${asAssistant()}`);
    expect({ status: stopAgain.status, says: stopAgain.text.includes('no timer is running') }).toEqual({ status: 409, says: true });
  });

  it('lets an assistant submit a week of time from My time', async () => {
    const lark = (await api(clients, '/clients', { name: 'Lark Studio', email: 'hi@lark.example', timezone: 'Europe/London', currency: 'GBP' })).id;
    const startsOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const engagementId = (await api(clients, '/engagements', { clientId: lark, assistantId: ids.assistant, kind: 'part-time', weeklyHours: 2, startsOn, noticePeriodDays: 14, plan: { type: 'hourly', rate: { amountMinor: 3000, currency: 'GBP' } } })).id;
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const entry = { engagementId, category: 'data-entry', startedAt: `${day}T06:00:00Z`, endedAt: `${day}T06:45:00Z`, billable: true };
    const made = await waitUntil(
      async () => {
        const r = await request(timeTracking.url).post('/time-entries').set('Authorization', `Bearer ${asAssistant()}`).send(entry);
        return r.status === 201 ? (r.body as { id: string; position: number }) : undefined;
      },
      { timeoutMs: 30_000, what: 'an entry for Lark Studio' },
    );
    const { isoWeek } = (await request(timeTracking.url).get(`/time-entries/${made.id}?minPosition=${made.position}`).set('Authorization', `Bearer ${admin}`).expect(200)).body as { isoWeek: string };
    const page = await signInAs('Ana Lima');
    await page.getByRole('link', { name: 'My time' }).click();
    await submit(page, `Submit ${isoWeek} for Lark Studio`, /done=/);
    await expect(page.getByRole('status').innerText()).resolves.toBe(`${isoWeek} submitted: the client reviews it now.`);
    const sheet = (await request(timeTracking.url).get(`/timesheets/${engagementId}/${isoWeek}`).set('Authorization', `Bearer ${admin}`).expect(200)).body as { status: string; billedMinutes: number };
    expect({ status: sheet.status, billedMinutes: sheet.billedMinutes }).toEqual({ status: 'submitted', billedMinutes: 45 });
    // submitted once: a second submit of the same week is a broken rule, and a client may not submit
    const again = await request(consoleApp.url).post('/my-time/submit').set('Cookie', `vaops_session=${asAssistant()}`).type('form').send({ engagementId, isoWeek });
    expect(again.status).toBe(409);
    const client = `vaops_session=${tokenFor({ sub: 'c', agencyId: agency, role: 'client', clientId: lark })}`;
    expect((await request(consoleApp.url).post('/my-time/submit').set('Cookie', client).type('form').send({ engagementId, isoWeek })).status).toBe(403);
    expect((await request(consoleApp.url).post('/my-time/submit').set('Cookie', `vaops_session=${asAssistant()}`).type('form').send({ engagementId, isoWeek: '2026-W99' })).status).toBe(400);
  });

  it('lets the agency register a client and an assistant, start an engagement, change its phase, book and move an appointment and give notice, with forms', async () => {
    const ops = await signInAs('Agency admin');
    await ops.goto(`${consoleApp.url}/clients`);
    await ops.getByRole('link', { name: 'Register a client' }).click();
    await ops.getByLabel('Name', { exact: true }).fill('Osprey Dental');
    await ops.getByLabel('Billing email').fill('desk@osprey.example');
    await ops.getByLabel('Time zone').selectOption('America/Chicago');
    await ops.getByLabel('Currency').selectOption('USD');
    await submit(ops, 'Register the client', /\/clients\/[0-9a-f-]{36}\?/);
    await expect(ops.getByRole('status').innerText()).resolves.toBe('Osprey Dental is registered.');
    const osprey = new URL(ops.url()).pathname.split('/')[2];
    await expect(ops.getByRole('heading', { level: 2 }).innerText()).resolves.toBe('Osprey Dental (America/Chicago)');

    await ops.goto(`${consoleApp.url}/team/new`);
    await ops.getByLabel('Name', { exact: true }).fill('Bea Cruz');
    await ops.getByLabel('Email', { exact: true }).fill('bea@va.example');
    await ops.getByLabel('Time zone').selectOption('Asia/Manila');
    await ops.getByLabel(/^Capacity/).fill('30');
    await ops.getByLabel(/^Skills/).fill('bookkeeping, scheduling');
    await ops.getByLabel('Pay rate an hour').fill('9.50');
    // her working hours: Monday to Friday, 09:00 to 17:00 in Manila
    await ops.getByLabel('From', { exact: true }).fill('09:00');
    await ops.getByLabel('To', { exact: true }).fill('17:00');
    await submit(ops, 'Register the assistant', /\/team\?/);
    await expect(ops.getByRole('status').innerText()).resolves.toBe('Bea Cruz is registered.');
    const bea = await waitUntil(async () => ((await request(clients.url).get('/assistants').set('Authorization', `Bearer ${admin}`)).body.items as { id: string; name: string; skills: string[]; payRate: object }[]).find((a) => a.name === 'Bea Cruz'), { timeoutMs: 30_000, what: 'Bea on the roster' });
    expect({ skills: bea.skills, payRate: bea.payRate }).toEqual({ skills: ['bookkeeping', 'scheduling'], payRate: { amountMinor: 950, currency: 'USD' } });

    await ops.goto(`${consoleApp.url}/clients/${osprey}`);
    await ops.getByRole('link', { name: 'Start an engagement for Osprey Dental' }).click();
    await ops.getByLabel('Assistant').selectOption({ label: 'Bea Cruz (Asia/Manila)' });
    await ops.getByLabel('Hours a week').fill('8');
    await ops.getByLabel('Rate an hour', { exact: true }).fill('35');
    await submit(ops, 'Start the engagement', new RegExp(`/clients/${osprey}\\?`));
    await expect(ops.getByRole('status').innerText()).resolves.toBe('The engagement is started.');
    const row = ops.locator('p[data-engagement]');
    await expect(row.innerText()).resolves.toMatch(/^Bea Cruz · part-time · hourly, \$35\.00 an hour\nphase I from \d{4}-\d{2}-\d{2}$/);
    const engagementId = (await row.getAttribute('data-engagement'))!;

    await ops.getByLabel('Trust phase').selectOption('2');
    await ops.getByLabel('Reason').first().fill('three clean months');
    await submit(ops, "Change phase of Bea Cruz's engagement", /done=/);
    await expect(ops.getByRole('status').innerText()).resolves.toBe('Trust phase changed to II.');
    await expect(row.innerText()).resolves.toMatch(/phase I from \d{4}-\d{2}-\d{2}, phase II from \d{4}-\d{2}-\d{2}$/);

    // booking waits for scheduling to learn the engagement, as any caller of the API would
    await waitUntil(async () => (await request(scheduling.url).get(`/engagements/${engagementId}/scheduling-policy`).set('Authorization', `Bearer ${admin}`)).status === 200, { timeoutMs: 30_000, what: 'scheduling to learn the new engagement' });
    await ops.getByRole('link', { name: 'Book an appointment with Bea Cruz' }).click();
    // a weekday at least two days ahead, in her working hours in Manila
    let date = DateTime.now().setZone('Asia/Manila').plus({ days: 2 });
    while (date.weekday > 5) date = date.plus({ days: 1 });
    const day = date.toISODate()!;
    await ops.getByLabel('Kind').selectOption('check-in');
    await ops.getByLabel('Title').fill('Kickoff with Osprey');
    await ops.getByLabel('Date').fill(day);
    await ops.getByLabel('Starts at').fill('10:00');
    await ops.getByLabel('Time zone').selectOption('Asia/Manila');
    await ops.getByLabel('Minutes').selectOption('45');
    await submit(ops, 'Book', /\/today\?/);
    const at = (time: string) => DateTime.fromISO(`${day}T${time}`, { zone: 'Asia/Manila' }).toUTC();
    type Booked = { id: string; engagementId: string; title: string; startsAt: string; endsAt: string; late: boolean };
    const agendaOf = async () => ((await request(scheduling.url).get(`/agenda?date=${day}&assistantId=${bea.id}`).set('Authorization', `Bearer ${admin}`)).body.items ?? []) as Booked[];
    const booked = await waitUntil(async () => (await agendaOf()).find((a) => a.engagementId === engagementId), { timeoutMs: 30_000, what: 'the booked appointment' });
    expect({ title: booked.title, startsAt: Date.parse(booked.startsAt), endsAt: Date.parse(booked.endsAt) }).toEqual({ title: 'Kickoff with Osprey', startsAt: at('10:00').toMillis(), endsAt: at('10:45').toMillis() });

    // the day it was booked on says so, and moves it from its row
    await expect(ops.getByRole('status').first().innerText()).resolves.toBe('Booked check-in with Bea Cruz for Osprey Dental.');
    await ops.reload();
    await ops.getByRole('link', { name: 'Move Kickoff with Osprey at 10:00' }).click();
    await ops.waitForURL(new RegExp(`/appointments/${booked.id}/move$`));
    await ops.getByLabel('Time zone').selectOption('Asia/Manila');
    await ops.getByLabel('Date').fill(day);
    await ops.getByLabel('Starts at').fill('11:30');
    await ops.getByLabel('Reason').fill('the dentist has a patient at 10');
    await submit(ops, 'Move the appointment', /\/today\?/);
    // inside the agency's 30 days of notice: moved, and flagged late
    const moved = await waitUntil(async () => (await agendaOf()).find((a) => a.id === booked.id && Date.parse(a.startsAt) === at('11:30').toMillis()), { timeoutMs: 30_000, what: 'the moved appointment' });
    expect({ endsAt: Date.parse(moved.endsAt), late: moved.late }).toEqual({ endsAt: at('12:15').toMillis(), late: true });

    await ops.goto(`${consoleApp.url}/clients/${osprey}`);
    await ops.getByLabel('Given by').selectOption('assistant');
    await ops.getByLabel('Reason').nth(1).fill('moving to full-time study');
    await submit(ops, "Give notice on Bea Cruz's engagement", /done=/);
    await expect(ops.getByRole('status').innerText()).resolves.toBe('Notice given by the assistant.');
    await expect(row.innerText()).resolves.toContain('in notice, ends');

    // what a form sends is checked, and the service's refusals are shown with their status and reason
    const cookie = `vaops_session=${admin}`;
    const hours = await request(consoleApp.url).post('/engagements/new').set('Cookie', cookie).type('form').send({ clientId: osprey, assistantId: bea.id, kind: 'part-time', weeklyHours: 'lots', startsOn: day, noticePeriodDays: '14', plan: 'hourly', rate: '35' });
    expect({ status: hours.status, says: hours.text.includes('weeklyHours must be a number') }).toEqual({ status: 400, says: true });
    const email = await request(consoleApp.url).post('/clients/new').set('Cookie', cookie).type('form').send({ name: 'No Mail', email: 'not-an-email', timezone: 'UTC', currency: 'USD' });
    expect({ status: email.status, says: email.text.includes('email') }).toEqual({ status: 400, says: true });
    const again = await request(consoleApp.url).post(`/engagements/${engagementId}/notice`).set('Cookie', cookie).type('form').send({ clientId: osprey, by: 'client', reason: 'twice' });
    expect(again.status).toBe(409);
    const assistant = `vaops_session=${asAssistant()}`;
    expect((await request(consoleApp.url).post('/clients/new').set('Cookie', assistant).type('form').send({ name: 'X', email: 'x@x.example', timezone: 'UTC', currency: 'USD' })).status).toBe(403);
    expect((await request(consoleApp.url).get('/engagements/new').set('Cookie', assistant)).status).toBe(403);
    expect((await request(consoleApp.url).get(`/clients/${osprey}`).set('Cookie', assistant)).status).toBe(403);
  });

  it('suggests assistants for a client with the reasons of their rank, and starts an engagement with one', async () => {
    const ben = (await api(clients, '/assistants', { name: 'Ben Cruz', email: 'ben@va.example', timezone: 'Asia/Manila', weeklyCapacityHours: 40, skills: ['bookkeeping'], payRate: { amountMinor: 900, currency: 'USD' } })).id;
    await waitUntil(async () => (await request(clients.url).get(`/assistants/${ben}`).set('Authorization', `Bearer ${admin}`)).status === 200, { timeoutMs: 30_000, what: 'the roster' });
    const ops = await signInAs('Agency admin');
    await ops.goto(`${consoleApp.url}/clients/${ids.client}`);
    await ops.getByRole('link', { name: 'Suggested assistants' }).click();
    await ops.waitForURL(new RegExp(`/clients/${ids.client}/matches$`));
    await ops.getByLabel('Hours a week').fill('12');
    await ops.getByLabel('Skills').fill('bookkeeping, website');
    await submit(ops, 'Suggest', /weeklyHours=12/);
    const match = (id: string) => ops.locator(`li[data-match="${id}"]`);
    // Ben's figures as the clients service gives them: Manila's day meets none of New York's
    await expect(match(ben).innerText()).resolves.toMatch(/^\d+\. Ben Cruz \(Asia\/Manila\) · score [\d.]+ · Start an engagement with Ben Cruz\n/);
    const benReasons = await match(ben).locator('ul.reasons li').allInnerTexts();
    expect(benReasons.slice(0, 3)).toEqual(['spare 40 h/week of 40 (28 left after these 12)', "overlap 0 min/week of the client's 2,400 (each of the next 4 weeks)", '1 of 2 skills (bookkeeping)']);
    await expect(match(ids.assistant).innerText()).resolves.toContain('0 of 2 skills');
    await match(ben).getByRole('link', { name: 'Start an engagement with Ben Cruz' }).click();
    await ops.waitForURL(/\/engagements\/new\?/);
    await expect(ops.getByLabel('Assistant').inputValue()).resolves.toBe(ben);
    await expect(ops.getByLabel('Client').inputValue()).resolves.toBe(ids.client);
    // a bad figure is the service's 400, shown as a page; the page is the agency's
    expect((await request(consoleApp.url).get(`/clients/${ids.client}/matches?weeklyHours=0`).set('Cookie', `vaops_session=${admin}`)).status).toBe(400);
    const asClient = `vaops_session=${tokenFor({ sub: 'c', agencyId: agency, role: 'client', clientId: ids.client })}`;
    expect((await request(consoleApp.url).get(`/clients/${ids.client}/matches`).set('Cookie', asClient)).status).toBe(403);
  });

  it("gives a client its engagements: it changes a phase there, and another client's page does not exist for it", async () => {
    const page = await signInAs('Jones Realty');
    await page.getByRole('link', { name: 'Engagements' }).click();
    await page.waitForURL(new RegExp(`/clients/${ids.client}`));
    await expect(page.locator('p[data-engagement]').innerText()).resolves.toMatch(/^Ana Lima · part-time · hourly, \$40\.00 an hour\nno phase from/);
    await expect(page.getByRole('link', { name: 'Start an engagement' }).count()).resolves.toBe(0);
    await page.getByLabel('Trust phase').selectOption('1');
    await page.getByLabel('Reason').first().fill('we start over with the new listings');
    await submit(page, "Change phase of Ana Lima's engagement", /done=/);
    await expect(page.getByRole('status').innerText()).resolves.toBe('Trust phase changed to I.');
    await expect(page.locator('p[data-engagement]').innerText()).resolves.toMatch(/phase I from \d{4}-\d{2}-\d{2}$/);
    const engagement = (await request(clients.url).get(`/engagements/${ids.engagement}`).set('Authorization', `Bearer ${admin}`).expect(200)).body as { phase: number };
    expect(engagement.phase).toBe(1);
    const cookie = `vaops_session=${tokenFor({ sub: 'c', agencyId: agency, role: 'client', clientId: ids.client })}`;
    expect((await request(consoleApp.url).get(`/clients/${ids.other}`).set('Cookie', cookie)).status).toBe(404);
    expect((await request(consoleApp.url).post(`/engagements/${ids.otherEngagement}/phase`).set('Cookie', cookie).type('form').send({ phase: '2', reason: 'not mine' })).status).toBe(404);
    // the client list itself is the client's own page
    const list = await request(consoleApp.url).get('/clients').set('Cookie', cookie);
    expect({ status: list.status, location: list.headers.location }).toEqual({ status: 303, location: `/clients/${ids.client}` });
  });

  it('has no serious or critical accessibility violation on any page (axe-core), for each role', async () => {
    const anonymous = await (await browser.newContext({ bypassCSP: true })).newPage();
    await anonymous.goto(`${consoleApp.url}/signin`);
    const found: Record<string, unknown[]> = { signin: await axeViolations(anonymous) };
    // VAOPS_SCREENSHOTS_DIR=docs/screenshots: one screenshot per page and role, for the README
    const shots = process.env.VAOPS_SCREENSHOTS_DIR;
    const shoot = async (page: Page, name: string) => {
      if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    };
    await shoot(anonymous, 'signin');
    // an appointment to open the move form of: the check-in booked for tomorrow
    const agenda = (await request(scheduling.url).get(`/agenda?date=${tomorrow}&assistantId=${ids.assistant}`).set('Authorization', `Bearer ${admin}`).expect(200)).body as { items: { id: string; status: string }[] };
    const moving = agenda.items.find((a) => a.status === 'booked')!.id;
    for (const who of ['Agency admin', 'Jones Realty', 'Ana Lima']) {
      const page = await signInAs(who, true);
      for (const path of [`/today?date=${tomorrow}`, '/timesheets', '/timesheets?status=approved', ...(who === 'Ana Lima' ? ['/my-time'] : ['/invoices']), ...(who === 'Agency admin' ? ['/alerts', '/team', '/clients', `/clients/${ids.client}/matches?skills=bookkeeping`, '/clients/new', '/team/new', '/engagements/new', `/appointments/new?engagementId=${ids.engagement}`, `/appointments/${moving}/move`] : []), ...(who === 'Jones Realty' ? [`/clients/${ids.client}`] : [])]) {
        await page.goto(`${consoleApp.url}${path}`);
        found[`${who} ${path}`] = await axeViolations(page);
        await shoot(page, `${who === 'Agency admin' ? 'agency' : who === 'Ana Lima' ? 'assistant' : 'client'}-${path.slice(1).replace(/\?.*status=approved/, '-approved').replace(/\?.*$/, '').replace(/\/[0-9a-f-]{36}/, '').replace(/\//g, '-')}`);
      }
    }
    expect(Object.entries(found).filter(([, v]) => v.length > 0)).toEqual([]);
    // and the check does find what it looks for
    await anonymous.setContent('<!doctype html><html><head><title>t</title></head><body><main><button></button><img src="x.png"></main></body></html>');
    expect((await axeViolations(anonymous)).map((v) => v.id).sort()).toEqual(['button-name', 'html-has-lang', 'image-alt']);
  });

  it('answers a bad day with 400 and an unknown page with 404, as pages', async () => {
    const token = tokenFor({ sub: 'ops', agencyId: agency, role: 'agency-admin' });
    const cookie = `vaops_session=${token}`;
    const bad = await request(consoleApp.url).get('/today?date=tomorrow').set('Cookie', cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('date must be a day');
    expect((await request(consoleApp.url).get('/nowhere').set('Cookie', cookie)).status).toBe(404);
    // what a caller sends is never a 500: a cookie that is not percent-encoded is no session, a form of
    // 20 kB is too large
    const garbled = await request(consoleApp.url).get('/today').set('Cookie', 'vaops_session=%E0%A4%A');
    expect({ status: garbled.status, location: garbled.headers.location }).toEqual({ status: 303, location: '/signin' });
    const huge = await request(consoleApp.url).post('/signin').type('form').send({ as: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('Too large');
  });

  it("opens Today on the viewer's own day: the agency's zone for the agency, their own for an assistant or a client", async () => {
    // an agency in Manila, its assistant in London and its client in New York, on a console whose clock the test sets
    const manila = `${agency}-mnl`;
    const manilaAdmin = tokenFor({ sub: `ops-${manila}`, agencyId: manila, role: 'agency-admin' });
    await request(clients.url).put('/agency/settings').set('Authorization', `Bearer ${manilaAdmin}`).send({ timezone: 'Asia/Manila', minimumNoticeHours: 24, bufferMinutes: 0, roundingMinutes: 0, roundingMode: 'up', silenceWorkingDays: 5 }).expect(200);
    const register = async (path: string, body: object) => (await request(clients.url).post(path).set('Authorization', `Bearer ${manilaAdmin}`).send(body).expect(201)).body as { id: string; position: number };
    const rosa = await register('/assistants', { name: 'Rosa Cruz', email: 'rosa@va.example', timezone: 'Europe/London', weeklyCapacityHours: 20, skills: [], payRate: { amountMinor: 1000, currency: 'USD' } });
    const pine = await register('/clients', { name: 'Pine Dental', email: 'ops@pine.example', timezone: 'America/New_York', currency: 'USD' });
    await request(clients.url).get(`/clients/${pine.id}?minPosition=${pine.position}`).set('Authorization', `Bearer ${manilaAdmin}`).expect(200);
    await request(clients.url).get(`/assistants/${rosa.id}?minPosition=${rosa.position}`).set('Authorization', `Bearer ${manilaAdmin}`).expect(200);
    await waitUntil(async () => (await request(scheduling.url).get(`/agenda?date=2027-07-01&assistantId=${rosa.id}`).set('Authorization', `Bearer ${manilaAdmin}`)).status === 200, { timeoutMs: 30_000, what: 'scheduling to learn the assistant' });
    const clocked = await startService('console', {
      VAOPS_CLIENTS_URL: clients.url,
      VAOPS_SCHEDULING_URL: scheduling.url,
      VAOPS_TIME_TRACKING_URL: timeTracking.url,
      VAOPS_BILLING_URL: billing.url,
      VAOPS_ANALYTICS_URL: analytics.url,
      VAOPS_DEMO_AGENCY: manila,
      VAOPS_TEST_CLOCK: '1',
    });
    try {
      const cookie = (who: Parameters<typeof tokenFor>[0]) => `vaops_session=${tokenFor(who)}`;
      const as = {
        agency: cookie({ sub: `ops-${manila}`, agencyId: manila, role: 'agency-admin' }),
        rosa: cookie({ sub: 'rosa', agencyId: manila, role: 'assistant', assistantId: rosa.id }),
        pine: cookie({ sub: 'pine', agencyId: manila, role: 'client', clientId: pine.id }),
      };
      const setClock = (now: string, who = as.agency) => request(clocked.url).put('/_test/clock').type('form').set('Cookie', who).send({ now });
      const todayOf = async (who: string) => {
        const r = await request(clocked.url).get('/today').set('Cookie', who).expect(200);
        return /<h1>Today, (\d{4}-\d{2}-\d{2})<\/h1>/.exec(r.text)?.[1];
      };
      // 23:30 UTC on 1 July: already the 2nd in Manila (07:30) and in London (00:30), still the 1st in New York
      expect((await setClock('2027-07-01T23:30:00Z').expect(200)).body).toEqual({ now: '2027-07-01T23:30:00.000Z' });
      expect({ agency: await todayOf(as.agency), rosa: await todayOf(as.rosa), pine: await todayOf(as.pine) }).toEqual({ agency: '2027-07-02', rosa: '2027-07-02', pine: '2027-07-01' });
      // 02:30 UTC on the 2nd: New York (22:30) is still on the 1st
      await setClock('2027-07-02T02:30:00Z').expect(200);
      expect(await todayOf(as.pine)).toBe('2027-07-01');
      // a day asked for is the day shown, whatever the clock
      expect((await request(clocked.url).get('/today?date=2027-06-30').set('Cookie', as.rosa).expect(200)).text).toContain('<h1>Today, 2027-06-30</h1>');
      // the clock is the agency admin's to set, to an instant; and it is there only under VAOPS_TEST_CLOCK=1
      expect((await setClock('2027-07-03T00:00:00Z', as.rosa)).status).toBe(403);
      expect((await setClock('2027-07-03')).status).toBe(400);
      expect((await request(clocked.url).put('/_test/clock').type('form').send({ now: '2027-07-03T00:00:00Z' })).status).toBe(401);
      expect((await request(consoleApp.url).put('/_test/clock').type('form').set('Cookie', as.agency).send({ now: '2027-07-03T00:00:00Z' })).status).toBe(404);
      // the other pages read the same clock, on the agency's calendar: Sunday 4 July 20:00 UTC is Monday in Manila, a new week
      await setClock('2027-07-04T20:00:00Z').expect(200);
      expect((await request(clocked.url).get('/team').set('Cookie', as.agency).expect(200)).text).toContain('<strong>2027-W27</strong>');
      expect((await request(clocked.url).get('/my-time').set('Cookie', as.rosa)).status).toBe(200);
      // and 31 July 20:00 UTC is already August there
      await setClock('2027-07-31T20:00:00Z').expect(200);
      expect((await request(clocked.url).get('/clients').set('Cookie', as.agency).expect(200)).text).toContain('<input name="month" value="2027-08"');
    } finally {
      await clocked.stop();
    }
  });
});
