import type { LoggerService } from '@nestjs/common';
import { LOG_LEVELS, type LogLevel } from '../config/config';
import { currentCorrelationId } from './correlation';

export interface JsonLoggerOptions {
  service: string;
  level: LogLevel;
  /** Where lines go; stdout unless a test captures them. */
  write?: (line: string) => void;
}

// Nest says "log"; log pipelines say "info".
const LEVEL_NAME: Readonly<Record<LogLevel, string>> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

/** One JSON object per line on stdout, carrying the correlation id of the request being served. */
export class JsonLogger implements LoggerService {
  private readonly write: (line: string) => void;
  private enabled: ReadonlySet<LogLevel>;

  constructor(private readonly options: JsonLoggerOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(line));
    this.enabled = new Set(LOG_LEVELS.slice(LOG_LEVELS.indexOf(options.level)));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.emit('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.enabled.has(level);
  }

  private emit(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.enabled.has(level)) return;
    // Nest appends the context as the last string argument; error() may put a stack before it.
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: LEVEL_NAME[level],
      service: this.options.service,
      msg: '',
      context,
      correlationId: currentCorrelationId(),
    };
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.err = { name: message.name, stack: message.stack };
    } else if (typeof message === 'object' && message !== null) {
      // Structured call: logger.log({ msg: 'appended', streamId }) puts the fields on the line.
      const { msg, message: text, ...fields } = message as Record<string, unknown>;
      entry.msg = String(msg ?? text ?? '');
      for (const [key, value] of Object.entries(fields)) if (!(key in entry)) entry[key] = value;
    } else {
      entry.msg = String(message);
    }
    const extra: unknown[] = [];
    for (const param of rest) {
      if (typeof param === 'string' && /\n\s+at /.test(param)) entry.stack = param;
      else if (param instanceof Error) entry.err = { name: param.name, message: param.message, stack: param.stack };
      else if (param !== undefined) extra.push(param);
    }
    if (extra.length > 0) entry.params = extra;
    this.write(`${safeStringify(entry)}\n`);
  }
}

/** A log call must never throw: cycles and BigInts become strings. */
function safeStringify(entry: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(entry, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  });
}
