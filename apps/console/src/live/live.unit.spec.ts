import type { EventEnvelope } from '@vaops/contracts';
import type { Principal } from '@vaops/platform';
import type { ConsoleConfig } from '../config';
import { LiveFeed, type FeedState } from './live-feed';
import { COALESCE_MS, HEARTBEAT_MS, LiveHub, MAX_PER_SESSION, type LiveSink } from './live-hub';
import { regionsFor } from './relevance';

const envelope = (type: string, data: Record<string, unknown>, agencyId = 'agency-a', position = 7): EventEnvelope => ({
  eventId: `e-${position}`,
  type,
  schemaVersion: 1,
  streamId: 'calendar-ana',
  version: 1,
  position,
  metadata: { agencyId, actor: { sub: 'ops', role: 'agency-admin' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-03-09T10:00:00.000Z' },
  data,
});
const booked = (clientId: string, assistantId = 'ana', agencyId = 'agency-a', position = 7) =>
  envelope(
    'AppointmentBooked',
    { appointmentId: 'ap1', engagementId: 'en1', assistantId, clientId, kind: 'check-in', startsAt: '2026-03-10T15:00:00.000Z', endsAt: '2026-03-10T15:30:00.000Z', title: null, bookedBy: 'agency', recurrence: null },
    agencyId,
    position,
  );
const notice = () => envelope('EngagementNoticeGiven', { engagementId: 'en1', by: 'client', reason: 'moving', givenAt: '2026-03-09T10:00:00.000Z', endsOn: '2026-03-23' });

const agency: Principal = { sub: 'ops', agencyId: 'agency-a', role: 'agency-admin' };
const jones: Principal = { sub: 'j', agencyId: 'agency-a', role: 'client', clientId: 'jones' };
const ana: Principal = { sub: 'a', agencyId: 'agency-a', role: 'assistant', assistantId: 'ana' };

describe('which regions an event changes for a viewer', () => {
  it("tells the agency everything of its own agency, and nothing of another's", () => {
    expect(regionsFor(booked('jones'), agency)).toEqual(['agenda']);
    expect(regionsFor(notice(), agency)).toEqual(['alerts']);
    expect(regionsFor(envelope('AppointmentKept', { appointmentId: 'ap1', engagementId: 'en1', assistantId: 'ana', clientId: 'jones', by: 'agency' }), agency)).toEqual(['agenda', 'alerts']);
    expect(regionsFor(booked('jones', 'ana', 'agency-b'), agency)).toEqual([]);
    expect(regionsFor(envelope('InvoicePaid', { invoiceId: 'i', clientId: 'jones' }), agency)).toEqual([]);
  });

  it("tells a client its own appointments only, never another client's nor an engagement event it cannot place", () => {
    expect(regionsFor(booked('jones'), jones)).toEqual(['agenda']);
    expect(regionsFor(booked('harbor'), jones)).toEqual([]);
    expect(regionsFor(booked('jones', 'ana', 'agency-b'), jones)).toEqual([]);
    // an engagement event carries only the engagement's id: not enough to decide, so no one but the agency
    expect(regionsFor(notice(), jones)).toEqual([]);
    expect(regionsFor(envelope('AppointmentBooked', { appointmentId: 'ap1', assistantId: 'ana' }), jones)).toEqual([]);
  });

  it('tells an assistant their own appointments only', () => {
    expect(regionsFor(booked('harbor', 'ana'), ana)).toEqual(['agenda']);
    expect(regionsFor(booked('harbor', 'bo'), ana)).toEqual([]);
    expect(regionsFor(notice(), ana)).toEqual([]);
  });
});

class FakeFeed {
  current: FeedState = 'up';
  event: (e: EventEnvelope) => void = () => undefined;
  state: (s: FeedState) => void = () => undefined;
  onEvent(l: (e: EventEnvelope) => void) {
    this.event = l;
    return () => undefined;
  }
  onState(l: (s: FeedState) => void) {
    this.state = l;
    return () => undefined;
  }
}

const sink = () => {
  const s = { text: '', ended: false, writableLength: 0, write: (c: string) => (s.text += c), end: () => (s.ended = true) };
  return s satisfies LiveSink;
};
const refreshes = (text: string) => [...text.matchAll(/event: refresh\ndata: (\w+)\n\n/g)].map((m) => m[1]);

describe('the open streams', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('coalesces a burst into one notification now and one at the end of the window, per region', () => {
    const feed = new FakeFeed();
    const hub = new LiveHub(feed as unknown as LiveFeed);
    const out = sink();
    hub.add('s1', agency, new Set(['agenda', 'alerts']), out, () => true);
    expect(out.text).toBe('retry: 3000\n: connected\n\nevent: feed\ndata: up\n\n');
    for (let i = 0; i < 10; i++) {
      feed.event(booked('jones'));
      jest.advanceTimersByTime(20);
    }
    feed.event(notice());
    expect(refreshes(out.text)).toEqual(['agenda', 'alerts']);
    jest.advanceTimersByTime(COALESCE_MS);
    expect(refreshes(out.text)).toEqual(['agenda', 'alerts', 'agenda']);
    jest.advanceTimersByTime(COALESCE_MS * 4);
    expect(refreshes(out.text)).toEqual(['agenda', 'alerts', 'agenda']);
  });

  it("sends only the regions the stream asked for, and a client nothing of another client's", () => {
    const feed = new FakeFeed();
    const hub = new LiveHub(feed as unknown as LiveFeed);
    const agendaOnly = sink();
    const client = sink();
    hub.add('s1', agency, new Set(['agenda']), agendaOnly, () => true);
    hub.add('s2', jones, new Set(['agenda']), client, () => true);
    feed.event(notice());
    feed.event(booked('harbor'));
    expect(refreshes(agendaOnly.text)).toEqual(['agenda']);
    expect(refreshes(client.text)).toEqual([]);
  });

  it('limits the streams of one session, and forgets a closed one', () => {
    const hub = new LiveHub(new FakeFeed() as unknown as LiveFeed);
    const streams = Array.from({ length: MAX_PER_SESSION }, () => hub.add('s1', agency, new Set(['agenda']), sink(), () => true));
    expect(hub.refusal('s1')).toBe('session-limit');
    expect(hub.refusal('s2')).toBeNull();
    hub.remove(streams[0]);
    hub.remove(streams[0]);
    expect(hub.refusal('s1')).toBeNull();
    expect(hub.open).toBe(MAX_PER_SESSION - 1);
  });

  it('beats every 25 s and ends the stream of a session that ended', async () => {
    const hub = new LiveHub(new FakeFeed() as unknown as LiveFeed);
    let signedIn = true;
    const out = sink();
    hub.add('s1', jones, new Set(['agenda']), out, () => signedIn);
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect(out.text.endsWith(': keep-alive\n\n')).toBe(true);
    signedIn = false;
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect({ ended: out.ended, open: hub.open }).toEqual({ ended: true, open: 0 });
  });

  it('tells every stream when the feed goes down and up', () => {
    const feed = new FakeFeed();
    const hub = new LiveHub(feed as unknown as LiveFeed);
    const out = sink();
    hub.add('s1', ana, new Set(['agenda']), out, () => true);
    feed.state('down');
    expect(out.text.endsWith('event: feed\ndata: down\n\n')).toBe(true);
  });
});

describe('the feed', () => {
  const config = { stream: { brokers: ['127.0.0.1:1'], topicPrefix: 'p.' } } as ConsoleConfig;

  it('drops and counts what is not a valid event, passes on what is, and keeps the newest position per service', () => {
    const feed = new LiveFeed(config);
    const heard: string[] = [];
    feed.onEvent((e) => heard.push(e.type));
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      feed.receive('p.vaops.scheduling.events.v1', Buffer.from('not json'));
      feed.receive('p.vaops.scheduling.events.v1', null);
      feed.receive('p.vaops.scheduling.events.v1', Buffer.from(JSON.stringify({ ...booked('jones'), data: { clientId: 'jones' } })));
      feed.receive('p.vaops.scheduling.events.v1', Buffer.from(JSON.stringify(booked('jones', 'ana', 'agency-a', 41))));
      feed.receive('p.vaops.scheduling.events.v1', Buffer.from(JSON.stringify(booked('jones', 'ana', 'agency-a', 12))));
    } finally {
      write.mockRestore();
    }
    expect(feed.counts).toEqual({ received: 5, dropped: 3 });
    expect(heard).toEqual(['AppointmentBooked', 'AppointmentBooked']);
    expect(feed.minPosition('scheduling')).toBe(41);
    expect(feed.minPosition('clients')).toBeUndefined();
    expect(feed.groupId).toMatch(/^p\.console\.live\./);
  });
});
