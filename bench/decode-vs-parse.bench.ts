/**
 * What checking the contracts costs a consumer: `decodeEvent` (envelope check, JSON Schema of the version
 * the event claims, upcast to the newest version and its schema again) versus `JSON.parse` alone, on the
 * same message values: half AssistantRegistered v1 (upcast to its newest version), half TimesheetApproved
 * v1 (validated as is). CPU only; the servers are not used.
 *
 *   node -r @swc-node/register bench/decode-vs-parse.bench.ts      env: BENCH_N (2000)
 */
import { LatestSchemaVersion, decodeEvent, type EventEnvelope } from '@vaops/contracts';
import { newId } from '@vaops/event-sourcing';
import { emitResult, log, printTable, round, runBench } from './common';

const BENCH = 'decode-vs-parse';

function values(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const assistantId = newId();
    const base = {
      eventId: newId(),
      version: 1,
      position: i + 1,
      metadata: { agencyId: 'agency-bench', actor: { sub: 'ops', role: 'agency-admin' as const }, correlationId: newId(), causationId: newId(), occurredAt: '2026-03-02T09:00:00.000Z' },
    };
    const env: EventEnvelope =
      i % 2 === 0
        ? {
            ...base,
            type: 'AssistantRegistered',
            schemaVersion: 1,
            streamId: `assistant-${assistantId}`,
            data: { assistantId, name: `VA ${i}`, email: `va${i}@x.co`, timezone: 'Asia/Manila', weeklyCapacityHours: 37.5, skills: ['bookkeeping'], payRate: { amountMinor: 1500, currency: 'USD' }, workingHours: [{ day: 1, start: '09:00', end: '17:00' }] },
          }
        : {
            ...base,
            type: 'TimesheetApproved',
            schemaVersion: 1,
            streamId: `timelog-${assistantId}`,
            data: {
              engagementId: newId(),
              assistantId,
              clientId: newId(),
              isoWeek: '2026-W11',
              entries: Array.from({ length: 5 }, (_, k) => ({ entryId: newId(), category: 'data-entry', startedAt: '2026-03-09T09:00:00.000Z', endedAt: '2026-03-09T10:00:00.000Z', actualMinutes: 60, billedMinutes: 60, billable: true, month: '2026-03', adjusts: k === 4 ? newId() : null })),
              billedMinutes: 300,
              approvedBy: 'client',
            },
          };
    return JSON.stringify(env);
  });
}

function rate(n: number, rounds: number, fn: (v: string) => unknown, input: string[]): { perSecond: number; seconds: number } {
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const v of input) fn(v);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: (n * rounds) / seconds, seconds };
}

runBench(async () => {
  const n = Number(process.env.BENCH_N || 2000);
  const rounds = 5;
  const input = values(n);
  // warm up both paths (schema compilation happens once per type and version)
  for (const v of input.slice(0, 50)) decodeEvent(JSON.parse(v));
  const upcast = decodeEvent(JSON.parse(input[0]));
  if (upcast.schemaVersion !== LatestSchemaVersion.AssistantRegistered) throw new Error(`the upcasters did not run: AssistantRegistered v1 came out at v${upcast.schemaVersion}`);
  log(`${n} messages × ${rounds} rounds`);
  const parse = rate(n, rounds, (v) => JSON.parse(v), input);
  const decode = rate(n, rounds, (v) => decodeEvent(JSON.parse(v)), input);
  const ratio = decode.perSecond / parse.perSecond;
  const microsPerEvent = 1e6 / decode.perSecond - 1e6 / parse.perSecond;
  printTable(`${BENCH} (N=${n}, ${rounds} rounds)`, [
    ['JSON.parse only', `${round(parse.perSecond)} events/s`],
    ['JSON.parse + decodeEvent', `${round(decode.perSecond)} events/s`],
    ['contract check per event', `${round(microsPerEvent, 2)} µs`],
    ['ratio decode/s ÷ parse/s', Number(ratio.toPrecision(3))],
  ]);
  emitResult({
    bench: BENCH,
    ratio: Number(ratio.toPrecision(3)),
    ratioOf: 'decodeEvent events/s ÷ JSON.parse events/s',
    n,
    rates: { numerator: round(decode.perSecond), denominator: round(parse.perSecond) },
    rounds,
    contractCheckMicrosPerEvent: round(microsPerEvent, 2),
  });
});
