import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { catalogEntry, LatestSchemaVersion, schemaFileName } from './catalog';
import { parseEnvelope, type EventEnvelope } from './envelope';
import { upcastEnvelope } from './upcasting';

/** An event that does not match the JSON Schema of its type and version (libs/contracts/schemas). */
export class EventContractError extends Error {
  constructor(
    public readonly eventType: string,
    public readonly schemaVersion: number,
    /** JSON path of the first offending field, e.g. `data.payRate.amountMinor`. */
    public readonly field: string,
    public readonly reason: string,
  ) {
    super(`${eventType} v${schemaVersion} breaks its contract: ${field} ${reason}`);
    this.name = 'EventContractError';
  }
}

const SCHEMAS_DIR = path.resolve(__dirname, '../schemas');
const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv, ['date-time', 'date']);
const compiled = new Map<string, ValidateFunction>();

function validatorFor(type: string, schemaVersion: number): ValidateFunction {
  const key = `${type}.v${schemaVersion}`;
  let validate = compiled.get(key);
  if (!validate) {
    const entry = catalogEntry(type, schemaVersion);
    if (!entry) throw new EventContractError(type, schemaVersion, 'schemaVersion', `is not a published version of ${type}`);
    validate = ajv.compile(JSON.parse(readFileSync(path.join(SCHEMAS_DIR, schemaFileName(entry)), 'utf8')) as object);
    compiled.set(key, validate);
  }
  return validate;
}

const fieldOf = (e: ErrorObject): string => {
  const base = e.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const missing = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : undefined;
  return [base, missing].filter(Boolean).join('.') || '(root)';
};

export const isPublicEventType = (type: string): boolean => LatestSchemaVersion[type] !== undefined;

/** Checks a whole envelope against the JSON Schema of its type and schemaVersion; throws EventContractError. */
export function validateEvent(envelope: EventEnvelope): void {
  if (!isPublicEventType(envelope.type)) throw new EventContractError(envelope.type, envelope.schemaVersion, 'type', 'is not a public event type');
  const validate = validatorFor(envelope.type, envelope.schemaVersion);
  const valid = validate(envelope as unknown);
  if (!valid) {
    const first = validate.errors![0];
    throw new EventContractError(envelope.type, envelope.schemaVersion, fieldOf(first), first.message ?? 'is invalid');
  }
}

/**
 * What a consumer does with a message value it read: envelope checked, data checked against the schema
 * of the version it was published with, then upcast to the newest version of its type (checked again),
 * so handlers only ever see the latest contract. A type this build does not know passes through
 * unchanged (a consumer ignores what it has no handler for); a version newer than it knows is refused.
 * Throws EnvelopeError or EventContractError: never retried, the message goes to the dead-letter topic.
 */
export function decodeEvent(raw: unknown): EventEnvelope {
  const envelope = parseEnvelope(raw);
  const latest = LatestSchemaVersion[envelope.type];
  if (latest === undefined) return envelope;
  if (envelope.schemaVersion > latest) {
    throw new EventContractError(envelope.type, envelope.schemaVersion, 'schemaVersion', `is newer than this consumer knows (v${latest}): upgrade it`);
  }
  validateEvent(envelope);
  if (envelope.schemaVersion === latest) return envelope;
  const upcast = upcastEnvelope(envelope, latest);
  validateEvent(upcast);
  return upcast;
}
