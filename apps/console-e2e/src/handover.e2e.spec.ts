import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { axeViolations, launchChromium, signInToConsole, startService, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';

/**
 * The handover plan in the client's portal, on the real servers: clients and scheduling services (test
 * clock, one topic prefix) plan the handover and move the appointments through their APIs; the console,
 * in a real headless Chromium in Tokyo, shows the plan on the client's page, and nothing of it to another
 * client.
 */
describe('the handover in the client portal', () => {
  const agency = uniqueName('agency-portal-handover').replace(/[^a-zA-Z0-9-]/g, '-');
  const admin = tokenFor({ sub: `ops-${agency}`, agencyId: agency, role: 'agency-admin' });
  const auth = { Authorization: `Bearer ${admin}` };
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '18:00' }));
  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
  let clients: RunningService;
  let scheduling: RunningService;
  let consoleApp: RunningService;
  let browser: Browser;
  const ids = { jones: '', harbor: '', ana: '', bea: '', outgoing: '', busy: '' };
  let plan: { appointments: { meeting: { startsAt: string } } };

  const post = async (svc: RunningService, path: string, body: object, status = 201) => {
    const r = await request(svc.url).post(path).set(auth).send(body);
    if (r.status !== status) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as { id: string; position: number };
  };
  const engagement = (clientId: string, assistantId: string) => ({ clientId, assistantId, kind: 'part-time', weeklyHours: 10, startsOn: '2026-03-02', noticePeriodDays: 21, phase: 2, plan: { type: 'hourly', rate: usd(4000) } });
  /** Waits until scheduling knows the engagement and its two parties (they travel on different partitions). */
  const known = async (engagementId: string, clientId: string, assistantId: string) => {
    await waitUntil(async () => (await request(scheduling.url).get(`/engagements/${engagementId}/scheduling-policy`).set(auth)).status === 200, { timeoutMs: 30_000, what: 'scheduling to learn the engagement' });
    for (const q of [`clientId=${clientId}`, `assistantId=${assistantId}`]) {
      await waitUntil(async () => (await request(scheduling.url).get(`/agenda?date=2026-03-09&${q}`).set(auth)).status === 200, { timeoutMs: 30_000, what: `scheduling to learn ${q}` });
    }
  };

  beforeAll(async () => {
    const prefix = `${uniqueName('portal_handover').replace(/[^a-zA-Z0-9]/g, '_')}.`;
    [clients, scheduling] = await Promise.all(['clients', 'scheduling'].map((s) => startService(s, { VAOPS_TEST_CLOCK: '1', VAOPS_TOPIC_PREFIX: prefix })));
    consoleApp = await startService('console', { VAOPS_CLIENTS_URL: clients.url, VAOPS_SCHEDULING_URL: scheduling.url, VAOPS_DEMO_AGENCY: agency });
    for (const s of [clients, scheduling]) await request(s.url).put('/_test/clock').set(auth).send({ now: '2026-03-09T09:00:00Z' }).expect(200); // a Monday

    ids.jones = (await post(clients, '/clients', { name: 'Jones Realty', email: 'ops@jones.example', timezone: 'America/New_York', currency: 'USD' })).id;
    ids.harbor = (await post(clients, '/clients', { name: 'Harbor Bakery', email: 'ops@harbor.example', timezone: 'UTC', currency: 'USD' })).id;
    const assistant = (name: string) => ({ name, email: 'va@va.example', timezone: 'Europe/London', weeklyCapacityHours: 30, skills: [], payRate: usd(1500), workingHours: weekdays });
    ids.ana = (await post(clients, '/assistants', assistant('Ana Lima'))).id;
    ids.bea = (await post(clients, '/assistants', assistant('Bea Cruz'))).id;
    ids.outgoing = (await post(clients, '/engagements', engagement(ids.jones, ids.ana))).id;
    ids.busy = (await post(clients, '/engagements', engagement(ids.harbor, ids.bea))).id;
    await known(ids.outgoing, ids.jones, ids.ana);
    await known(ids.busy, ids.harbor, ids.bea);
    // a check-in that moves, a review that cannot (Bea is with Harbor Bakery then)
    await post(scheduling, '/appointments', { engagementId: ids.outgoing, kind: 'check-in', startsAt: '2026-03-17T10:00:00Z', endsAt: '2026-03-17T10:30:00Z' });
    await post(scheduling, '/appointments', { engagementId: ids.outgoing, kind: 'review', startsAt: '2026-03-18T14:00:00Z', endsAt: '2026-03-18T15:00:00Z', title: 'Quarterly review' });
    await post(scheduling, '/appointments', { engagementId: ids.busy, kind: 'check-in', startsAt: '2026-03-18T14:30:00Z', endsAt: '2026-03-18T15:00:00Z' });
    // both engagements in notice: Jones's is handed over to Bea, Harbor's has no handover
    await post(clients, `/engagements/${ids.outgoing}/notice`, { by: 'assistant', reason: 'moving on' }, 200);
    await post(clients, `/engagements/${ids.busy}/notice`, { by: 'client', reason: 'closing the shop' }, 200);
    await post(clients, `/engagements/${ids.outgoing}/handover`, { replacementAssistantId: ids.bea, handoverOn: '2026-03-16', startingPhase: 2 });
    await waitUntil(
      async () => {
        const r = await request(clients.url).get(`/engagements/${ids.outgoing}/handover`).set(auth);
        plan = r.body;
        return r.status === 200 && r.body.appointments !== null;
      },
      { timeoutMs: 30_000, what: 'scheduling to move the appointments' },
    );
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([consoleApp?.stop(), clients?.stop(), scheduling?.stop()]);
  });

  const signInAs = (label: string, bypassCSP = false): Promise<Page> => signInToConsole(browser, consoleApp.url, label, bypassCSP);

  it('shows the client the whole plan on its page: replacement, day, phase, status, moves, conflicts and the meeting in its own zone', async () => {
    const page = await signInAs('Jones Realty', true);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Engagements' }).click();
    await page.waitForURL(new RegExp(`/clients/${ids.jones}`));
    const block = page.locator(`[data-handover="${ids.outgoing}"]`);
    await expect(block.count()).resolves.toBe(1);
    await expect(block.getByRole('heading', { name: 'Handover' }).count()).resolves.toBe(1);
    await expect(block.locator('p').first().innerText()).resolves.toBe('To Bea Cruz from 2026-03-16, starting in phase II · planned');
    // 10:00 UTC is 06:00 in New York (daylight time from 8 March)
    await expect(block.locator('[data-handover-moved] li').allInnerTexts()).resolves.toEqual(['check-in, Tue 17 Mar 2026, 06:00–06:30 (America/New_York): Ana Lima → Bea Cruz']);
    await expect(block.locator('[data-handover-conflicts] li').allInnerTexts()).resolves.toEqual(['review, Wed 18 Mar 2026, 10:00–11:00 (America/New_York): stays with Ana Lima (APPOINTMENT.CONFLICT)']);
    // the meeting in the viewer's zone: the browser is in Tokyo
    const meeting = DateTime.fromISO(plan.appointments.meeting.startsAt, { zone: 'Asia/Tokyo' });
    await expect(block.locator('[data-handover-meeting] time').innerText()).resolves.toBe(`${meeting.toFormat('HH:mm')} GMT+9`);
    await expect(block.locator('[data-handover-meeting]').innerText()).resolves.toContain(`Handover meeting with Ana Lima and Bea Cruz: ${meeting.setZone('America/New_York').toFormat('ccc d LLL yyyy, HH:mm')}`);
    // one block: the replacement's engagement is active and has none
    await expect(page.locator('[data-handover]').count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the agency the same block on the client page', async () => {
    const page = await signInAs('Agency admin');
    await page.goto(`${consoleApp.url}/clients/${ids.jones}`);
    await expect(page.locator(`[data-handover="${ids.outgoing}"] [data-handover-status]`).innerText()).resolves.toBe('planned');
    await expect(page.locator(`[data-handover="${ids.outgoing}"] [data-handover-moved] li`).count()).resolves.toBe(1);
  });

  it('shows another client nothing of it: the page is 404, and its own engagement in notice has no handover block', async () => {
    const page = await signInAs('Harbor Bakery');
    const other = await page.goto(`${consoleApp.url}/clients/${ids.jones}`);
    expect(other?.status()).toBe(404);
    await expect(page.locator('[data-handover]').count()).resolves.toBe(0);
    const own = await page.goto(`${consoleApp.url}/clients/${ids.harbor}`);
    expect(own?.status()).toBe(200);
    await expect(page.locator(`p[data-engagement="${ids.busy}"]`).innerText()).resolves.toContain('in notice, ends 2026-03-30');
    await expect(page.locator('[data-handover]').count()).resolves.toBe(0);
  });
});
