import * as http from 'node:http';
import { Topics } from '@vaops/contracts';
import { createKafka } from '@vaops/kafka';
import { axeViolations, launchChromium, signInToConsole, startService, tokenFor, uniqueName, waitUntil, type RunningService } from '@vaops/testing';
import { Partitioners } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';

/** An open `GET /live` read by a plain HTTP client: its status and everything it said so far. */
interface Listener {
  status: number;
  text: () => string;
  refreshes: () => string[];
  ended: () => boolean;
  close: () => void;
}

/**
 * Live updates: the console hears the services' event stream (its own consumer, on the services' topic
 * prefix) and tells each open page which region changed, over server-sent events; the page fetches the
 * region again and swaps it in without a navigation. Real clients and scheduling services, a real
 * Kafka, a real headless Chromium under the console's Content-Security-Policy.
 */
describe('live updates in the console', () => {
  const agency = uniqueName('agency-live').replace(/[^a-zA-Z0-9-]/g, '-');
  const admin = tokenFor({ sub: `ops-${agency}`, agencyId: agency, role: 'agency-admin' });
  const prefix = `${uniqueName('live').replace(/[^a-zA-Z0-9]/g, '_')}.`;
  let clients: RunningService;
  let scheduling: RunningService;
  let consoleApp: RunningService;
  let browser: Browser;
  const ids = { jones: '', harbor: '', assistant: '', jonesEngagement: '', harborEngagement: '' };
  const cookieOf = (claims: Parameters<typeof tokenFor>[0]) => `vaops_session=${tokenFor(claims)}`;
  const listeners: Listener[] = [];
  const figures: Record<string, number> = {};
  let slot = 0;

  const post = async (svc: RunningService, path: string, body: object) => {
    const r = await request(svc.url).post(path).set('Authorization', `Bearer ${admin}`).send(body);
    if (r.status >= 300) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as { id: string; position: number };
  };

  /** A half-hour for the assistant, hours ahead (each call a later one): its UTC day is its agenda's day (she is in UTC). */
  const nextSlot = () => {
    slot += 1;
    const start = new Date(Date.now() + (60 + 40 * slot) * 60_000);
    start.setUTCSeconds(0, 0);
    return { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 30 * 60_000).toISOString(), day: start.toISOString().slice(0, 10) };
  };

  const listen = (cookie: string | null, query = ''): Promise<Listener> =>
    new Promise((resolve, reject) => {
      const req = http.get(`${consoleApp.url}/live${query}`, { headers: cookie ? { cookie } : {} }, (res) => {
        let text = '';
        let ended = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (ended = true));
        res.on('close', () => (ended = true));
        const l: Listener = {
          status: res.statusCode ?? 0,
          text: () => text,
          refreshes: () => [...text.matchAll(/event: refresh\ndata: (\w+)\n\n/g)].map((m) => m[1]),
          ended: () => ended,
          close: () => req.destroy(),
        };
        listeners.push(l);
        resolve(l);
      });
      req.on('error', reject);
    });

  beforeAll(async () => {
    [clients, scheduling] = await Promise.all(['clients', 'scheduling'].map((s) => startService(s, { VAOPS_TOPIC_PREFIX: prefix })));
    // the console on the services' topics (time-tracking and billing are not running: it hears the two that exist)
    consoleApp = await startService('console', { VAOPS_CLIENTS_URL: clients.url, VAOPS_SCHEDULING_URL: scheduling.url, VAOPS_DEMO_AGENCY: agency, VAOPS_TOPIC_PREFIX: prefix });
    ids.jones = (await post(clients, '/clients', { name: 'Jones Realty', email: 'ops@jones.example', timezone: 'UTC', currency: 'USD' })).id;
    ids.harbor = (await post(clients, '/clients', { name: 'Harbor Bakery', email: 'ops@harbor.example', timezone: 'UTC', currency: 'EUR' })).id;
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' }));
    ids.assistant = (await post(clients, '/assistants', { name: 'Ana Lima', email: 'ana@va.example', timezone: 'UTC', weeklyCapacityHours: 30, skills: [], payRate: { amountMinor: 1500, currency: 'USD' }, workingHours: allDay })).id;
    const startsOn = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const engagement = (clientId: string, currency: string) => ({ clientId, assistantId: ids.assistant, kind: 'part-time', weeklyHours: 5, startsOn, noticePeriodDays: 14, plan: { type: 'hourly', rate: { amountMinor: 4000, currency } } });
    ids.jonesEngagement = (await post(clients, '/engagements', engagement(ids.jones, 'USD'))).id;
    ids.harborEngagement = (await post(clients, '/engagements', engagement(ids.harbor, 'EUR'))).id;
    for (const id of [ids.jonesEngagement, ids.harborEngagement]) {
      await waitUntil(async () => (await request(scheduling.url).get(`/engagements/${id}/scheduling-policy`).set('Authorization', `Bearer ${admin}`)).status === 200, { timeoutMs: 30_000, what: 'scheduling to learn the engagement' });
    }
    await waitUntil(async () => (await request(clients.url).get('/assistants').set('Authorization', `Bearer ${admin}`)).body.items?.length === 1, { timeoutMs: 30_000, what: 'the roster' });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const l of listeners) l.close();
    await browser?.close();
    await Promise.all([consoleApp?.stop(), clients?.stop(), scheduling?.stop()]);
    process.stdout.write(`live update figures (ms): ${JSON.stringify(figures)}\n`);
  });

  const signInAs = (label: string, bypassCSP = false): Promise<Page> => signInToConsole(browser, consoleApp.url, label, bypassCSP);

  /** The page's indicator says live: its stream is open and the console's consumer is reading. */
  const whenLive = async (page: Page) => {
    await page.locator('[data-live-state]').filter({ hasText: /^live$/ }).waitFor({ timeout: 30_000 });
  };
  const marked = (page: Page) => page.evaluate<string | undefined>('window.liveTestMarker');

  it("updates the agency's day in place when an appointment is booked, without a navigation", async () => {
    const { startsAt, endsAt, day } = nextSlot();
    const page = await signInAs('Agency admin');
    await page.goto(`${consoleApp.url}/today?date=${day}`);
    await whenLive(page);
    const url = page.url();
    await expect(page.locator('tr[data-appointment]').count()).resolves.toBe(0);
    await page.evaluate("window.liveTestMarker = 'still the same document'");
    const sent = Date.now();
    const booked = await post(scheduling, '/appointments', { engagementId: ids.jonesEngagement, kind: 'check-in', startsAt, endsAt, title: 'Live check-in' });
    const answered = Date.now();
    const row = page.locator(`tr[data-appointment="${booked.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    const shown = Date.now();
    figures.agendaFromCommand = shown - sent;
    figures.agendaFromAnswer = shown - answered;
    await expect(marked(page)).resolves.toBe('still the same document');
    expect(page.url()).toBe(url);
    const cells = await row.locator('td').allInnerTexts();
    // the swapped-in times are shown in the viewer's zone too (console.js, on the region's update event)
    expect(cells[1]).toMatch(/^\d\d:\d\d GMT\+9$/);
    expect(cells.slice(2, 5)).toEqual(['Live check-in', 'Jones Realty', 'booked']);
    // said to screen readers (a polite live region, filled a moment after the swap so it is spoken again)
    await page.locator('[data-live-announce]').filter({ hasText: /^Agenda updated$/ }).waitFor({ state: 'attached', timeout: 2_000 });
    // only the region was replaced: the day form around it is the page's own
    await expect(page.locator('input[name="date"]').inputValue()).resolves.toBe(day);
  });

  it('adds a notice ending soon to the Alerts list in place when notice is given', async () => {
    const page = await signInAs('Agency admin');
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.waitForURL(/\/alerts/);
    await whenLive(page);
    await expect(page.locator('table[data-alerts="notices"] tbody tr').count()).resolves.toBe(0);
    await page.evaluate("window.liveTestMarker = 'still the same document'");
    const sent = Date.now();
    await post(clients, `/engagements/${ids.harborEngagement}/notice`, { by: 'client', reason: 'moving the bakery online' });
    const row = page.locator('table[data-alerts="notices"] tbody tr');
    await row.waitFor({ timeout: 15_000 });
    figures.alertsFromCommand = Date.now() - sent;
    await expect(marked(page)).resolves.toBe('still the same document');
    const endsOn = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    expect(await row.locator('td').allInnerTexts()).toEqual(['Harbor Bakery', 'Ana Lima', endsOn]);
    // said to screen readers (a polite live region, filled a moment after the swap so it is spoken again)
    await page.locator('[data-live-announce]').filter({ hasText: /^Alerts updated$/ }).waitFor({ state: 'attached', timeout: 2_000 });
  });

  it("tells a client and the assistant of their own appointment, and no other client nor another agency", async () => {
    const jones = await listen(cookieOf({ sub: 'j', agencyId: agency, role: 'client', clientId: ids.jones }));
    const harbor = await listen(cookieOf({ sub: 'h', agencyId: agency, role: 'client', clientId: ids.harbor }));
    const ana = await listen(cookieOf({ sub: 'a', agencyId: agency, role: 'assistant', assistantId: ids.assistant }));
    const elsewhere = await listen(cookieOf({ sub: 'x', agencyId: `${agency}-other`, role: 'agency-admin' }));
    for (const l of [jones, harbor, ana, elsewhere]) expect(l.status).toBe(200);
    await waitUntil(async () => [jones, harbor, ana, elsewhere].every((l) => l.text().includes('event: feed\ndata: up')), { timeoutMs: 15_000, what: 'the streams to open' });
    const { startsAt, endsAt } = nextSlot();
    await post(scheduling, '/appointments', { engagementId: ids.jonesEngagement, kind: 'video-conference', startsAt, endsAt, title: "Jones's only" });
    await waitUntil(async () => jones.refreshes().length > 0 && ana.refreshes().length > 0, { timeoutMs: 15_000, what: 'Jones and Ana to be told' });
    // the others had as long again to hear anything
    await new Promise((r) => setTimeout(r, 3_000));
    expect({ jones: jones.refreshes(), ana: ana.refreshes(), harbor: harbor.refreshes(), elsewhere: elsewhere.refreshes() }).toEqual({ jones: ['agenda'], ana: ['agenda'], harbor: [], elsewhere: [] });
    // a notification names a region and nothing else
    expect(jones.text()).not.toContain(ids.jonesEngagement);
    const said = jones
      .text()
      .split('\n\n')
      .map((block) => block.split('\n').filter((line) => !line.startsWith(':')).join('\n'))
      .filter(Boolean);
    expect(said).toEqual(['retry: 3000', 'event: feed\ndata: up', 'event: refresh\ndata: agenda']);
  });

  it('keeps telling pages after a message that is no event, which it drops and counts', async () => {
    const jones = await listen(cookieOf({ sub: 'j', agencyId: agency, role: 'client', clientId: ids.jones }));
    await waitUntil(async () => jones.text().includes('event: feed\ndata: up'), { timeoutMs: 15_000, what: 'the stream to open' });
    const kafka = createKafka({ brokers: consoleApp.env.KAFKA_BROKERS.split(','), clientId: 'live-e2e' });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic: `${prefix}${Topics.scheduling}`, messages: [{ key: 'x', value: 'not an event' }, { key: 'y', value: JSON.stringify({ type: 'AppointmentBooked', data: { clientId: ids.jones } }) }] });
    } finally {
      await producer.disconnect();
    }
    await waitUntil(async () => /"msg":"dropped a message that is not a valid event"/.test(consoleApp.output()), { timeoutMs: 15_000, what: 'the console to drop the message' });
    expect(jones.refreshes()).toEqual([]);
    const { startsAt, endsAt } = nextSlot();
    await post(scheduling, '/appointments', { engagementId: ids.jonesEngagement, kind: 'review', startsAt, endsAt });
    await waitUntil(async () => jones.refreshes().length === 1, { timeoutMs: 15_000, what: 'Jones to be told after the bad messages' });
    expect(consoleApp.process.exitCode).toBeNull();
    expect((await request(consoleApp.url).get('/health/ready')).status).toBe(200);
  });

  it('refuses a stream without a session, beyond 4 per session, or for a region the role does not have', async () => {
    const none = await listen(null);
    expect(none.status).toBe(401);
    const jonesCookie = cookieOf({ sub: 'j2', agencyId: agency, role: 'client', clientId: ids.jones });
    expect((await listen(jonesCookie, '?regions=alerts')).status).toBe(403);
    expect((await listen(jonesCookie, '?regions=everything')).status).toBe(400);
    const four = await Promise.all([1, 2, 3, 4].map(() => listen(jonesCookie)));
    expect(four.map((l) => l.status)).toEqual([200, 200, 200, 200]);
    const fifth = await listen(jonesCookie);
    expect(fifth.status).toBe(429);
    // a page closed: its place is free again
    four[0].close();
    await waitUntil(async () => (await listen(jonesCookie)).status === 200, { timeoutMs: 5_000, what: 'a closed stream to be forgotten' });
    // a fragment is a region alone, for a signed-in viewer only
    const fragment = await request(consoleApp.url).get(`/today?fragment=agenda`).set('Cookie', jonesCookie);
    expect({ status: fragment.status, page: fragment.text.includes('<html'), region: fragment.text.includes('<section') }).toEqual({ status: 200, page: false, region: true });
    expect((await request(consoleApp.url).get('/today?fragment=agenda')).status).toBe(401);
    expect((await request(consoleApp.url).get('/alerts?fragment=nav').set('Cookie', `vaops_session=${admin}`)).status).toBe(400);
  });

  it('has no serious or critical accessibility violation on the live pages (axe-core)', async () => {
    const page = await signInAs('Agency admin', true);
    const found: Record<string, unknown[]> = {};
    for (const path of [`/today?date=${nextSlot().day}`, '/alerts']) {
      await page.goto(`${consoleApp.url}${path}`);
      await whenLive(page);
      found[path] = await axeViolations(page);
    }
    const client = await signInAs('Jones Realty', true);
    await whenLive(client);
    found['client /today'] = await axeViolations(client);
    expect(Object.keys(found)).toHaveLength(3);
    expect(Object.entries(found).filter(([, v]) => v.length > 0)).toEqual([]);
  });

  it('ends its streams when the console stops, and stops promptly', async () => {
    const open = await listen(cookieOf({ sub: 'j3', agencyId: agency, role: 'client', clientId: ids.jones }));
    expect(open.status).toBe(200);
    const started = Date.now();
    const ended = await consoleApp.stop();
    figures.consoleStop = Date.now() - started;
    expect(ended.signal).not.toBe('SIGKILL');
    await waitUntil(async () => open.ended(), { timeoutMs: 5_000, what: 'the stream to end' });
  });
});
