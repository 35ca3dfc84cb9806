import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import asyncApi300 from '@asyncapi/specs/schemas/3.0.0-without-$id.json';
import { EventCatalog, LatestSchemaVersion } from '../src/catalog';
import { Topics } from '../src/topics';
import { ASYNCAPI_FILE, generateContractArtefacts, staleArtefacts } from './generate';

describe('generated contract artefacts', () => {
  const files = generateContractArtefacts();

  it('are committed as generated from libs/contracts (run `npm run contracts:generate` after a contract change)', () => {
    expect(staleArtefacts(files)).toEqual([]);
  });

  it('give every catalogued event version its own JSON Schema', () => {
    expect(files.size).toBe(EventCatalog.length + 1);
    for (const c of EventCatalog) {
      const file = [...files.keys()].find((f) => f.endsWith(`/${c.type}.v${c.schemaVersion}.schema.json`));
      expect(file).toBeDefined();
      const schema = JSON.parse(files.get(file!)!);
      expect(schema.properties.type).toEqual({ const: c.type });
      expect(schema.properties.schemaVersion).toEqual({ const: c.schemaVersion });
      expect(schema.definitions[c.dataType].type).toBe('object');
    }
  });

  it('mark every field holding personal data x-pii: encrypted, and no other', () => {
    const schemaOf = (name: string) => JSON.parse([...files.entries()].find(([f]) => f.endsWith(`/${name}.schema.json`))![1]);
    const marked = (name: string, type: string) => {
      const props = schemaOf(name).definitions[type].properties as Record<string, { 'x-pii'?: string; anyOf?: { 'x-pii'?: string }[] }>;
      return Object.keys(props).filter((k) => props[k]['x-pii'] === 'encrypted' || props[k].anyOf?.some((a) => a['x-pii'] === 'encrypted')).sort();
    };
    expect(marked('ClientRegistered.v2', 'ClientRegisteredV2')).toEqual(['email', 'name']);
    expect(marked('ClientRegistered.v1', 'ClientRegisteredV1')).toEqual([]);
    expect(marked('AssistantRegistered.v3', 'AssistantRegisteredV3')).toEqual(['email', 'name']);
    expect(marked('CommunicationLogged.v2', 'CommunicationLoggedV2')).toEqual(['summary']);
    expect(marked('EngagementEnded.v2', 'EngagementEndedV2')).toEqual(['reason']);
    expect(marked('AppointmentBooked.v2', 'AppointmentBookedV2')).toEqual(['title']);
    expect(marked('AppointmentCancelled.v2', 'AppointmentCancelledV2')).toEqual(['reason']);
    expect(marked('HandoverScheduled.v1', 'HandoverScheduledV1')).toEqual([]);
    expect(marked('PersonErased.v1', 'PersonErasedV1')).toEqual([]);
    expect(marked('TimeEntryLogged.v2', 'TimeEntryLoggedV2')).toEqual(['notes']);
    expect(marked('TimeEntryAdjusted.v2', 'TimeEntryAdjustedV2')).toEqual(['notes', 'reason']);
    expect(marked('TimesheetRejected.v2', 'TimesheetRejectedV2')).toEqual(['reason']);
    expect(marked('TimesheetApproved.v1', 'TimesheetApprovedV1')).toEqual([]);
    expect(readFileSync(ASYNCAPI_FILE, 'utf8')).toContain('x-pii: encrypted');
  });

  it('describe every topic and message in one AsyncAPI 3 document whose references all resolve', () => {
    const doc = parse(readFileSync(ASYNCAPI_FILE, 'utf8'));
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((c) => (c as { address: string }).address).sort()).toEqual(Object.values(Topics).sort());
    expect(Object.keys(doc.components.messages).sort()).toEqual(EventCatalog.map((c) => `${c.type}V${c.schemaVersion}`).sort());
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref') refs.push(x as string);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(EventCatalog.length * 3);
    for (const ref of refs) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect([ref, target !== undefined]).toEqual([ref, true]);
    }
    expect(Object.keys(LatestSchemaVersion)).toHaveLength(new Set(EventCatalog.map((c) => c.type)).size);
  });

  it('is a valid AsyncAPI 3.0.0 document by the official JSON Schema (@asyncapi/specs)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(asyncApi300 as object);
    const doc = parse(readFileSync(ASYNCAPI_FILE, 'utf8'));
    expect([validate(doc), validate.errors ?? null]).toEqual([true, null]);
    // the validator does refuse a broken document
    const [name, operation] = Object.entries(doc.operations)[0] as [string, object];
    expect(validate({ ...doc, operations: { [name]: { ...operation, action: 'publish' } } })).toBe(false);
  });
});
