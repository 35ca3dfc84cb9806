import { formatReport, runFaultSuite, SIZES, type FaultReport } from './fault/fault-suite';

/**
 * The fault suite at CI size (`npm run fault -- --large` runs the larger one): during a steady load on
 * the five services, each service, the broker and the database are SIGKILLed and restarted, and consumer
 * groups rebalance in a storm; then every acknowledged write is visible exactly once, analytics' counts
 * equal their source, every rebuild equals its live read model and no dead letter was written.
 */
describe('the fault suite (CI size)', () => {
  let report: FaultReport;

  beforeAll(async () => {
    report = await runFaultSuite(SIZES.ci);
    process.stderr.write(`${formatReport(report)}\n`);
  }, 900_000);

  it('went through every fault under load and acknowledged writes of every kind', () => {
    expect(report.faults.map((f) => f.fault.split(' (')[0])).toEqual([
      'SIGKILL clients',
      'SIGKILL scheduling',
      'SIGKILL time-tracking',
      'SIGKILL billing',
      'SIGKILL analytics',
      'SIGKILL the Kafka broker',
      'SIGKILL the MongoDB-compatible server',
      'rebalance storm',
    ]);
    for (const [kind, w] of Object.entries(report.writes)) expect([kind, w.acknowledged > 0]).toEqual([kind, true]);
  });

  it('answered every write in the end: none refused, none given up', () => {
    expect(report.refusals).toEqual([]);
    expect(Object.values(report.writes).reduce((n, w) => n + w.gaveUp, 0)).toBe(0);
  });

  it('shows every acknowledged write exactly once, and no write twice', () => {
    expect(report.visible).toEqual({ missing: [], duplicated: [] });
    expect(report.settledMs).not.toBeNull();
  });

  it('applied every projected effect once: analytics logged minutes equal the entries time-tracking holds', () => {
    expect(report.loggedMinutes.mismatched).toEqual([]);
    expect(report.loggedMinutes.assistants).toBe(SIZES.ci.assistants);
  });

  it('rebuilds every read model equal to the live one', () => {
    expect(report.rebuild.failed).toEqual([]);
    expect(report.rebuild.readModels).toBeGreaterThan(10);
  });

  it('wrote nothing to a dead-letter queue', () => {
    expect(Object.values(report.deadLetters).every((n) => n === 0)).toBe(true);
  });
});
