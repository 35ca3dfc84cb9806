/**
 * Generates the published contract artefacts from the TypeScript contracts in libs/contracts/src:
 * one JSON Schema per public event version (libs/contracts/schemas/<service>/<Type>.v<N>.schema.json)
 * and one AsyncAPI 3 document for every topic (docs/asyncapi.yaml). Nothing here is written by hand:
 * `npm run contracts:generate` rewrites them, `--check` (run by the tests) fails when they are stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { stringify } from 'yaml';
import { EventCatalog, schemaFileName, type CatalogEntry } from '../src/catalog';
import { Topics, deadLetterTopic } from '../src/topics';

type Json = Record<string, unknown>;

const ROOT = path.resolve(__dirname, '../../..');
export const SCHEMAS_DIR = path.join(ROOT, 'libs/contracts/schemas');
export const ASYNCAPI_FILE = path.join(ROOT, 'docs/asyncapi.yaml');
const ID_BASE = 'https://vaops.dev/schemas/events/';

const metadataSchema: Json = {
  type: 'object',
  required: ['agencyId', 'actor', 'correlationId', 'causationId', 'occurredAt'],
  properties: {
    agencyId: { type: 'string', minLength: 1, description: 'The tenant: every event belongs to exactly one agency.' },
    actor: {
      type: 'object',
      required: ['sub', 'role'],
      properties: {
        sub: { type: 'string', minLength: 1, description: 'JWT subject, or `system:<process>` for scheduled processes.' },
        role: { type: 'string', enum: ['agency-admin', 'assistant', 'client', 'system'] },
      },
    },
    correlationId: { type: 'string', minLength: 1 },
    causationId: { type: 'string', minLength: 1 },
    occurredAt: { type: 'string', format: 'date-time', description: 'When the decision was taken (ISO-8601 UTC).' },
  },
};

/** The envelope of one event version, `data` referring to `dataRef`. */
function envelopeSchema(c: CatalogEntry, dataRef: string, metadataRef: string): Json {
  return {
    type: 'object',
    required: ['eventId', 'type', 'schemaVersion', 'streamId', 'version', 'position', 'metadata', 'data'],
    properties: {
      eventId: { type: 'string', minLength: 1, description: 'Unique per event (UUID v7); the same on a redelivery.' },
      type: { const: c.type },
      schemaVersion: { const: c.schemaVersion },
      streamId: { type: 'string', minLength: 1, description: 'The aggregate; also the Kafka message key.' },
      version: { type: 'integer', minimum: 1, description: 'Position of the event in its stream, no gaps.' },
      position: { type: 'integer', minimum: 1, description: 'Per-service order: strictly increasing, unique, may have gaps.' },
      metadata: { $ref: metadataRef },
      data: { $ref: dataRef },
    },
  };
}

const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Json)[k])])) : v;

/**
 * Marks every field holding a person's data (`PersonalData`) with `x-pii: encrypted` and says how to
 * read it, so a consumer of the AsyncAPI document knows which fields are encrypted under whose key.
 */
function markPersonalData(definitions: Json): Json {
  const mark = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(mark);
    if (!v || typeof v !== 'object') return v;
    const o = v as Json;
    if (typeof o.$ref === 'string' && /\/(PersonalData|PublishedPersonalData)$/.test(o.$ref)) {
      return { ...o, 'x-pii': 'encrypted', description: "Personal data, AES-256-GCM under the key of the person named in `person` (docs/events.md, Personal data); unreadable once that person is erased." };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, mark(x)]));
  };
  return mark(definitions) as Json;
}

const rewriteRefs = (v: unknown, from: string, to: string): unknown =>
  JSON.parse(JSON.stringify(v).split(`"$ref":"${from}`).join(`"$ref":"${to}`));

/** Every artefact, as file path → content. Deterministic: the same contracts give the same bytes. */
export function generateContractArtefacts(): Map<string, string> {
  const generator = createGenerator({
    path: path.join(ROOT, 'libs/contracts/src/index.ts'),
    tsconfig: path.join(ROOT, 'tsconfig.base.json'),
    type: '*',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    // consumers must accept fields added later (an optional field keeps the version)
    additionalProperties: true,
    skipTypeCheck: true,
  });
  const files = new Map<string, string>();
  const components: Json = { EventMetadata: metadataSchema };
  const messages: Json = {};
  for (const c of EventCatalog) {
    const generated = generator.createSchema(c.dataType) as { definitions?: Json };
    const definitions = markPersonalData((generated.definitions ?? {}) as Json);
    if (!definitions[c.dataType]) throw new Error(`libs/contracts exports no type ${c.dataType}`);
    const eventSchema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `${ID_BASE}${schemaFileName(c)}`,
      title: `${c.type} v${c.schemaVersion}`,
      description: c.summary,
      ...envelopeSchema(c, `#/definitions/${c.dataType}`, '#/definitions/EventMetadata'),
      definitions: { ...definitions, EventMetadata: metadataSchema },
    };
    files.set(path.join(SCHEMAS_DIR, schemaFileName(c)), `${JSON.stringify(sortKeys(eventSchema), null, 2)}\n`);
    for (const [name, def] of Object.entries(definitions)) {
      const rewritten = rewriteRefs(def, '#/definitions/', '#/components/schemas/');
      if (components[name] && JSON.stringify(components[name]) !== JSON.stringify(rewritten)) throw new Error(`two different types named ${name}`);
      components[name] = rewritten;
    }
    messages[`${c.type}V${c.schemaVersion}`] = {
      name: c.type,
      title: `${c.type} v${c.schemaVersion}`,
      summary: c.summary,
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/EventHeaders' },
      payload: envelopeSchema(c, `#/components/schemas/${c.dataType}`, '#/components/schemas/EventMetadata'),
      bindings: { kafka: { key: { type: 'string', description: 'streamId: all events of one aggregate share a partition, in version order.' }, bindingVersion: '0.5.0' } },
      externalDocs: { url: `${ID_BASE}${schemaFileName(c)}`, description: 'JSON Schema of this event version' },
    };
  }
  components['EventHeaders'] = {
    type: 'object',
    properties: Object.fromEntries(['event-id', 'event-type', 'schema-version', 'agency-id', 'correlation-id'].map((h) => [h, { type: 'string' }])),
  };
  const channels: Json = {};
  const operations: Json = {};
  for (const [service, topic] of Object.entries(Topics)) {
    const own = EventCatalog.filter((c) => c.service === service);
    const name = `${service}Events`;
    channels[name] = {
      address: topic,
      title: `${service} events`,
      description: `Every public event of the ${service} service, keyed by stream id. Failed messages of a consumer go to \`${deadLetterTopic(topic)}\`.`,
      messages: Object.fromEntries(own.map((c) => [`${c.type}V${c.schemaVersion}`, { $ref: `#/components/messages/${c.type}V${c.schemaVersion}` }])),
      bindings: { kafka: { topic, partitions: 3, topicConfiguration: { 'retention.ms': -1, 'cleanup.policy': ['delete'] }, bindingVersion: '0.5.0' } },
    };
    operations[`publish${name[0].toUpperCase()}${name.slice(1)}`] = {
      action: 'send',
      title: `The ${service} service publishes`,
      channel: { $ref: `#/channels/${name}` },
      messages: own.map((c) => ({ $ref: `#/channels/${name}/messages/${c.type}V${c.schemaVersion}` })),
    };
  }
  const asyncapi = {
    asyncapi: '3.0.0',
    info: {
      title: 'vaops event stream',
      version: '1.0.0',
      description:
        'The public events of the vaops services (generated from libs/contracts by `npm run contracts:generate`; do not edit). ' +
        'Delivery is at-least-once; consumers are idempotent per streamId and version. A type may have several schema versions ' +
        'in the log: consumers upcast older ones (libs/contracts upcasting.ts). See docs/events.md.',
    },
    defaultContentType: 'application/json',
    servers: {
      production: { host: 'kafka:9092', protocol: 'kafka', description: 'docker-compose.yml' },
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: '`npm start` (infra/local)' },
    },
    channels,
    operations,
    components: { schemas: sortKeys(components), messages },
  };
  files.set(ASYNCAPI_FILE, `# Generated by \`npm run contracts:generate\` from libs/contracts. Do not edit.\n${stringify(asyncapi, { aliasDuplicateObjects: false, lineWidth: 0 })}`);
  return files;
}

/** Files whose content differs from what the contracts generate (missing ones included). */
export function staleArtefacts(files = generateContractArtefacts()): string[] {
  return [...files].filter(([file, content]) => !existsSync(file) || readFileSync(file, 'utf8') !== content).map(([file]) => path.relative(ROOT, file));
}

if (require.main === module) {
  const files = generateContractArtefacts();
  if (process.argv.includes('--check')) {
    const stale = staleArtefacts(files);
    if (stale.length > 0) {
      process.stderr.write(`stale contract artefacts (run npm run contracts:generate):\n${stale.join('\n')}\n`);
      process.exit(1);
    }
    process.stdout.write(`${files.size} contract artefacts up to date\n`);
  } else {
    for (const [file, content] of files) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    process.stdout.write(`wrote ${files.size} contract artefacts\n`);
  }
}
