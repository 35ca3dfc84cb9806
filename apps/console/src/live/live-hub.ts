import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { EventEnvelope } from '@vaops/contracts';
import type { Principal } from '@vaops/platform';
import { LiveFeed, type FeedState } from './live-feed';
import { regionsFor, type Region } from './relevance';

/** At most one notification per region and connection in this window: a burst is one refresh. */
export const COALESCE_MS = 500;
/** A comment line this often keeps proxies from closing an idle stream and finds dead ones. */
export const HEARTBEAT_MS = 25_000;
/**
 * Open streams per session (tabs of one person). Browsers allow 6 connections per host over HTTP/1.1,
 * streams included: 4 leaves room to load pages.
 */
export const MAX_PER_SESSION = 4;
/** Open streams of the whole process. */
export const MAX_STREAMS = 2_000;
/** A client that reads nothing (its buffer past this) is cut off rather than buffered for. */
const MAX_BUFFERED_BYTES = 64 * 1024;
/** EventSource waits this long before it reconnects. */
export const RETRY_MS = 3_000;

/** Where a stream's text goes: the HTTP response. */
export interface LiveSink {
  write(chunk: string): unknown;
  end(): void;
  readonly writableLength: number;
}

export interface LiveStream {
  readonly session: string;
  readonly viewer: Principal;
  readonly regions: ReadonlySet<Region>;
  readonly sink: LiveSink;
  /** Asked at every heartbeat: a session that ended (expired, signed out) ends its stream. */
  readonly stillSignedIn: () => boolean | Promise<boolean>;
  readonly lastSent: Map<Region, number>;
  readonly pending: Map<Region, NodeJS.Timeout>;
}

/**
 * The open `GET /live` streams, by agency, and what each is told: for every event of the feed, the
 * regions it changed for that stream's viewer (`regionsFor`), coalesced per region, as a region name
 * only. Nothing runs while no stream is open; with streams open, one heartbeat timer for all of them.
 */
@Injectable()
export class LiveHub implements OnModuleDestroy {
  private readonly byAgency = new Map<string, Set<LiveStream>>();
  private readonly bySession = new Map<string, number>();
  private count = 0;
  private closing = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Notifications written, all streams (for tests and figures). */
  sent = 0;

  constructor(private readonly feed: LiveFeed) {
    feed.onEvent((envelope) => this.dispatch(envelope));
    feed.onState((state) => this.broadcastState(state));
  }

  get open(): number {
    return this.count;
  }

  /** Why another stream of this session cannot open now, or null. */
  refusal(session: string): 'session-limit' | 'process-limit' | 'closing' | null {
    if (this.closing) return 'closing';
    if ((this.bySession.get(session) ?? 0) >= MAX_PER_SESSION) return 'session-limit';
    if (this.count >= MAX_STREAMS) return 'process-limit';
    return null;
  }

  /** A stream the controller has answered 200 for (after `refusal` said null). */
  add(session: string, viewer: Principal, regions: ReadonlySet<Region>, sink: LiveSink, stillSignedIn: () => boolean | Promise<boolean>): LiveStream {
    const stream: LiveStream = { session, viewer, regions, sink, stillSignedIn, lastSent: new Map(), pending: new Map() };
    const agency = this.byAgency.get(viewer.agencyId) ?? new Set();
    agency.add(stream);
    this.byAgency.set(viewer.agencyId, agency);
    this.bySession.set(session, (this.bySession.get(session) ?? 0) + 1);
    this.count += 1;
    this.write(stream, `retry: ${RETRY_MS}\n: connected\n\nevent: feed\ndata: ${this.feed.current}\n\n`);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
      this.heartbeat.unref();
    }
    return stream;
  }

  /** The stream closed (the browser left) or is being closed: forgets it. Safe to call twice. */
  remove(stream: LiveStream): void {
    const agency = this.byAgency.get(stream.viewer.agencyId);
    if (!agency?.delete(stream)) return;
    if (agency.size === 0) this.byAgency.delete(stream.viewer.agencyId);
    const left = (this.bySession.get(stream.session) ?? 1) - 1;
    if (left === 0) this.bySession.delete(stream.session);
    else this.bySession.set(stream.session, left);
    this.count -= 1;
    for (const t of stream.pending.values()) clearTimeout(t);
    stream.pending.clear();
    if (this.count === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  /** Closes every stream (shutdown: the HTTP server can then close; browsers reconnect elsewhere). */
  onModuleDestroy(): void {
    // a browser reconnecting meanwhile must not hold the HTTP server open
    this.closing = true;
    for (const agency of [...this.byAgency.values()]) for (const stream of [...agency]) this.end(stream);
  }

  private end(stream: LiveStream): void {
    this.remove(stream);
    try {
      stream.sink.end();
    } catch {
      // the socket is gone already
    }
  }

  private dispatch(envelope: EventEnvelope): void {
    const streams = this.byAgency.get(envelope.metadata.agencyId);
    if (!streams) return;
    for (const stream of streams) {
      for (const region of regionsFor(envelope, stream.viewer)) if (stream.regions.has(region)) this.notify(stream, region);
    }
  }

  /** Now, unless this region was told less than COALESCE_MS ago: then once at the end of that window. */
  private notify(stream: LiveStream, region: Region): void {
    if (stream.pending.has(region)) return;
    const wait = (stream.lastSent.get(region) ?? -Infinity) + COALESCE_MS - Date.now();
    if (wait <= 0) return this.send(stream, region);
    const timer = setTimeout(() => {
      stream.pending.delete(region);
      this.send(stream, region);
    }, wait);
    stream.pending.set(region, timer);
  }

  private send(stream: LiveStream, region: Region): void {
    stream.lastSent.set(region, Date.now());
    this.sent += 1;
    this.write(stream, `event: refresh\ndata: ${region}\n\n`);
  }

  private broadcastState(state: FeedState): void {
    for (const streams of [...this.byAgency.values()]) for (const stream of [...streams]) this.write(stream, `event: feed\ndata: ${state}\n\n`);
  }

  private write(stream: LiveStream, text: string): void {
    if (stream.sink.writableLength > MAX_BUFFERED_BYTES) return this.end(stream);
    try {
      stream.sink.write(text);
    } catch {
      this.end(stream);
    }
  }

  private async beat(): Promise<void> {
    for (const streams of [...this.byAgency.values()]) {
      for (const stream of [...streams]) {
        let signedIn = false;
        try {
          signedIn = await stream.stillSignedIn();
        } catch {
          signedIn = false;
        }
        if (signedIn) this.write(stream, ': keep-alive\n\n');
        else this.end(stream);
      }
    }
  }
}
