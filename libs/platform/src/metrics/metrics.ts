import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Process metrics (CPU, heap, event loop). Off in tests that build many apps. */
  defaultMetrics?: boolean;
}

/**
 * Every metric a service exposes, on a registry of its own so several apps can share a process (tests).
 * The members are prom-client objects: hand them to plain libs as hooks, e.g.
 * `onPublished: (topic, n) => metrics.eventsPublished.inc({ topic }, n)`.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'vaops_events_appended_total',
    help: 'Events appended to the event store',
    labelNames: ['service', 'type'] as const,
    registers: [this.registry],
  });

  readonly commandRetries = new Counter({
    name: 'vaops_command_retries_total',
    help: 'Commands decided again after another process appended to their stream first',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: 'vaops_events_published_total',
    help: 'Events the outbox relay published to Kafka',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({
    name: 'vaops_outbox_backlog',
    help: 'Appended events not yet published',
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: 'vaops_consumer_lag',
    help: 'Messages between the committed offset and the end of the partition',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly projectionPosition = new Gauge({
    name: 'vaops_projection_position',
    help: 'Last offset a projection has applied',
    labelNames: ['projection', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly dlqMessages = new Counter({
    name: 'vaops_dlq_messages_total',
    help: 'Messages sent to a dead-letter topic after retries ran out',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    // The event-loop delay histogram samples with a timer: prom-client's 10 ms wakes an idle service
    // 100 times a second; 100 ms still catches every lag worth an alert (quiet at rest, issue 11).
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }

  /** Prometheus text exposition. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
