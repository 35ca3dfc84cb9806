import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { fixKafkajsIdleLoop } from './request-queue-fix';

export interface KafkaLogger {
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/**
 * kafkajs is unmaintained (kafkajs #1603): it stays behind this lib's own types (EventPublisher,
 * ConsumerRunner) so the client can be swapped (e.g. @confluentinc/kafka-javascript's compatible API).
 */
export function createKafka(opts: { brokers: string[]; clientId: string; logger?: KafkaLogger }): Kafka {
  fixKafkajsIdleLoop();
  // Every producer here names its partitioner explicitly (the Java-compatible default).
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 5_000,
    retry: { initialRetryTime: 100, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log }: LogEntry) => {
      const { message, ...rest } = log;
      const ctx = { namespace, ...rest };
      if (!opts.logger) return;
      if (level === logLevel.ERROR) opts.logger.error(message, ctx);
      else if (level === logLevel.WARN) opts.logger.warn(message, ctx);
    },
  });
}
