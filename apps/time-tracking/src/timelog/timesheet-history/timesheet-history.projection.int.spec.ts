import { LatestSchemaVersion } from '@vaops/contracts';
import { eventEnvelope, projectionSpec } from '@vaops/testing';
import { entryView } from '../context';
import { EntriesProjection, type EntryDoc, type TimesheetDoc } from '../entries/entries.projection';
import { weekAt, type TimesheetHistoryDoc } from './timesheet-history';
import { TimesheetHistoryProjection } from './timesheet-history.projection';

const who = { engagementId: 'e-1', assistantId: 'a-1', clientId: 'c-1' };
const rounding = { minutes: 0, mode: 'up' };
let version = 0;
const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T12:00:00.000Z`;
const envelope = (type: string, day: number, sub: string, data: object) => {
  version++;
  return eventEnvelope(type, data, { streamId: 'timelog-a-1', version, schemaVersion: LatestSchemaVersion[type], actor: { sub, role: sub.startsWith('exec') ? 'client' : 'assistant' }, correlationId: `corr-${version}`, occurredAt: at(day) });
};
/** Free text as the events carry it: encrypted under the engagement's key (what the bytes say does not matter here). */
const sealed = (ct: string) => ({ pii: 'v1', person: 'e-1', iv: 'AAAAAAAAAAAAAAAA', ct });
const values = (startedAt: string, minutes: number, isoWeek: string, notes: object | null = null) => ({
  category: 'data-entry',
  startedAt,
  endedAt: new Date(Date.parse(startedAt) + minutes * 60_000).toISOString(),
  actualMinutes: minutes,
  billedMinutes: minutes,
  billable: true,
  notes,
  isoWeek,
  month: '2026-03',
  rounding,
});
const approved = (id: string, startedAt: string, minutes: number, adjusts: string | null = null) => ({
  entryId: id,
  category: 'data-entry',
  startedAt,
  endedAt: new Date(Date.parse(startedAt) + Math.abs(minutes) * 60_000).toISOString(),
  actualMinutes: minutes,
  billedMinutes: minutes,
  billable: true,
  month: '2026-03',
  adjusts,
});
const sheet = (isoWeek = '2026-W11') => ({ ...who, isoWeek });

const events = [
  envelope('TimeEntryLogged', 16, 'va', { entryId: 'A', ...who, ...values('2026-03-09T10:00:00.000Z', 60, '2026-W11', sealed('notes-of-A')), source: 'manual' }),
  envelope('TimeEntryLogged', 16, 'va', { entryId: 'B', ...who, ...values('2026-03-10T10:00:00.000Z', 30, '2026-W11'), source: 'manual' }),
  // B was on the wrong day: corrected into week 12, it leaves week 11
  envelope('TimeEntryCorrected', 17, 'va', { entryId: 'B', ...who, ...values('2026-03-16T10:00:00.000Z', 30, '2026-W12') }),
  envelope('TimesheetSubmitted', 17, 'va', { ...sheet(), entryIds: ['A'] }),
  envelope('TimesheetRejected', 18, 'exec', { ...sheet(), entryIds: ['A'], reason: sealed('which-project'), rejectedBy: 'client' }),
  envelope('TimesheetSubmitted', 18, 'va', { ...sheet(), entryIds: ['A'] }),
  envelope('TimesheetApproved', 19, 'exec', { ...sheet(), entries: [approved('A', '2026-03-09T10:00:00.000Z', 60)], billedMinutes: 60, approvedBy: 'client' }),
  envelope('TimeEntryAdjusted', 23, 'va', { entryId: 'A2', ...who, ...values('2026-03-09T10:00:00.000Z', -15, '2026-W11'), adjusts: 'A', reason: sealed('left-early') }),
  envelope('TimesheetSubmitted', 23, 'va', { ...sheet(), entryIds: ['A2'] }),
  envelope('TimesheetApproved', 24, 'exec-2', { ...sheet(), entries: [approved('A2', '2026-03-09T10:00:00.000Z', -15, 'A')], billedMinutes: -15, approvedBy: 'client' }),
];

describe('timesheet history projection (real Mongo-compatible server)', () => {
  const spec = projectionSpec('tt-timesheet-history', [EntriesProjection, TimesheetHistoryProjection]);
  const week = async (isoWeek: string) => (await spec.db.collection<TimesheetHistoryDoc>('timesheet_history').findOne({ _id: `e-1_${isoWeek}` }))!;

  beforeAll(async () => {
    await spec.apply(events);
  });

  it("answers 'who approved week 11 and what did it say before the adjustment'", async () => {
    const doc = await week('2026-W11');
    const approvals = doc.items.filter((i) => i.type === 'TimesheetApproved');
    expect(approvals.map((i) => [i.actor.sub, i.at, i.correlationId])).toEqual([
      ['exec', at(19), 'corr-7'],
      ['exec-2', at(24), 'corr-10'],
    ]);
    const before = weekAt(doc, new Date(at(22)))!;
    expect(before).toMatchObject({ status: 'approved', version: 4 });
    expect(before.entries.map((e) => [e.id, e.billedMinutes, e.status])).toEqual([['A', 60, 'approved']]);
    const after = weekAt(doc, new Date(at(25)))!;
    // the hour stays (marked as adjusted) and the adjusting entry takes 15 minutes off: 45 billed
    expect(after.entries.map((e) => [e.id, e.billedMinutes, e.status, e.adjusts, e.supersededBy])).toEqual([['A', 60, 'approved', null, 'A2'], ['A2', -15, 'approved', 'A', null]]);
    // reasons and notes are kept encrypted as they came: the route decrypts them when it answers
    expect(doc.items.find((i) => i.type === 'TimesheetRejected')).toMatchObject({ reason: sealed('which-project'), actor: { sub: 'exec' } });
    expect(doc.items.find((i) => i.type === 'TimeEntryAdjusted')).toMatchObject({ reason: sealed('left-early'), changes: { entryId: 'A2', adjusts: 'A' } });
    expect(doc.items.find((i) => i.type === 'TimeEntryAdjusted')?.changes).not.toHaveProperty('reason');
    expect(before.entries[0].notes).toEqual(sealed('notes-of-A'));
  });

  it('folds to what the entries read model holds, after the last change', async () => {
    for (const isoWeek of ['2026-W11', '2026-W12']) {
      const folded = weekAt(await week(isoWeek), new Date('2030-01-01T00:00:00Z'))!;
      const sheetDoc = await spec.db.collection<TimesheetDoc>('timesheets').findOne({ _id: `e-1_${isoWeek}` });
      const entries = await spec.db.collection<EntryDoc>('time_entries').find({ engagementId: 'e-1', isoWeek }).sort({ startedAt: 1, _id: 1 }).toArray();
      expect({ status: folded.status, version: folded.version }).toEqual({ status: sheetDoc?.status ?? 'open', version: sheetDoc?.version ?? 0 });
      expect(folded.entries.map((e) => entryView(e.id, e))).toEqual(entries.map((d) => entryView(d._id, d)));
    }
  });

  it('moves a corrected entry between weeks, and has nothing before the first change', async () => {
    const w11 = await week('2026-W11');
    expect(weekAt(w11, new Date('2026-03-16T11:59:59.999Z'))).toBeNull();
    expect(weekAt(w11, new Date(at(16)))!.entries.map((e) => e.id)).toEqual(['A', 'B']);
    expect(weekAt(w11, new Date(at(17)))).toMatchObject({ status: 'submitted', version: 1 });
    expect(weekAt(w11, new Date(at(17)))!.entries.map((e) => e.id)).toEqual(['A']);
    const w12 = await week('2026-W12');
    expect(w12.items.map((i) => i.type)).toEqual(['TimeEntryCorrected']);
    expect(weekAt(w12, new Date(at(30)))).toMatchObject({ status: 'open', version: 0, entries: [{ id: 'B', startedAt: '2026-03-16T10:00:00.000Z' }] });
  });

  it('applies each event once: redelivered, the documents stay the same', async () => {
    const before = [await week('2026-W11'), await week('2026-W12')];
    await spec.apply(events);
    await spec.apply(events[2]);
    expect([await week('2026-W11'), await week('2026-W12')]).toEqual(before);
  });
});
