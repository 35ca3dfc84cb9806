import { EventContractError } from '@vaops/contracts';
import { handleCommand, InMemoryEventStore, integrationEnvelope, type Decider } from '@vaops/event-sourcing';
import { checkPublicContracts } from './event-sourced-runtime';

type Registered = { type: 'AssistantRegistered'; data: Record<string, unknown> };
const decider: Decider<Record<string, unknown>, Registered, { registered: boolean }> = {
  initialState: () => ({ registered: false }),
  decide: (data) => [{ type: 'AssistantRegistered', data }],
  evolve: () => ({ registered: true }),
};
// publishes the domain event as AssistantRegistered v2, like the clients service does
const map = (stored: Parameters<typeof integrationEnvelope>[0]) => integrationEnvelope(stored, stored.data as object, 2);
const metadata = { agencyId: 'ag', actor: { sub: 'ops', role: 'agency-admin' as const }, correlationId: 'c', causationId: 'c', occurredAt: '2026-03-02T09:00:00.000Z' };
const valid = { assistantId: 'a1', name: 'Ana', email: 'a@x.co', timezone: 'UTC', weeklyCapacityMinutes: 2400, skills: [], payRate: { amountMinor: 1500, currency: 'USD' }, workingHours: [] };

describe('validation of public events on produce', () => {
  const run = (store: InMemoryEventStore, data: Record<string, unknown>) =>
    handleCommand(store, decider, 'assistant-a1', data, { metadata, beforeAppend: (events, after) => checkPublicContracts(map, 'assistant-a1', events, after, metadata) });

  it('appends an event that matches its contract', async () => {
    const store = new InMemoryEventStore();
    await run(store, valid);
    expect((await store.readStream('assistant-a1')).version).toBe(1);
  });

  it('refuses a command whose event would break its contract, writing nothing', async () => {
    const store = new InMemoryEventStore();
    await expect(run(store, { ...valid, weeklyCapacityMinutes: 37.5 })).rejects.toThrow(EventContractError);
    await expect(run(store, { ...valid, weeklyCapacityMinutes: undefined })).rejects.toThrow('data.weeklyCapacityMinutes');
    await expect(run(store, { ...valid, payRate: { amountMinor: 1500, currency: 'usd' } })).rejects.toThrow('data.payRate.currency must match pattern');
    expect((await store.readStream('assistant-a1')).version).toBe(0);
  });

  it('leaves private events (the mapper publishes nothing) alone', () => {
    expect(() => checkPublicContracts(() => null, 's', [{ type: 'Private', data: { anything: 1 } }], 0, metadata)).not.toThrow();
  });
});
