/** Kafka topics of the public event stream, one per publishing service. */
export const Topics = {
  clients: 'vaops.clients.events.v1',
  scheduling: 'vaops.scheduling.events.v1',
  timeTracking: 'vaops.time-tracking.events.v1',
  billing: 'vaops.billing.events.v1',
} as const;

/** Dead-letter topic of a topic: messages that failed every retry, with the error in headers. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;
