import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Document, Filter } from 'mongodb';
import type { EngagementStartedV1 } from '@vaops/contracts';
import type { Clock } from '@vaops/event-sourcing';
import { APP_CONFIG, CLOCK, JsonLogger, ScheduledProcess, type AppConfig } from '@vaops/platform';
import { agencySettingsOf } from '../../agency/agency-settings';
import { Agencies } from '../../agency/agencies';
import { assistantStreamId, type AssistantEvent } from '../../assistant/assistant';
import { ASSISTANT_ROSTER, type AssistantRosterDoc } from '../../assistant/assistant-roster/assistant-roster.projection';
import { Assistants } from '../../assistant/assistants';
import { Clients } from '../../client/clients';
import { RUNTIME, type Runtime } from '../../runtime';
import { localDate, workingDaysBetween } from '../../shared/time';
import { ENGAGEMENT_ACTIVITY, ENGAGEMENT_DETAILS, otherActivityAt, type EngagementActivityDoc, type EngagementDoc } from '../engagement-details/engagement-details.projection';
import { Engagements } from '../engagements';

/**
 * The clients service's scheduled process, driven by the injectable clock (the test clock in tests):
 * ends engagements whose notice has run, raises EngagementWentSilent, and reconciles commitments with
 * engagements (rolls a creation that died between its two appends forward; releases the hours of an
 * ended engagement). Every step is a command the deciders may refuse or turn into nothing, so running
 * it twice, or on two instances, changes nothing (ScheduledProcess adds the lease).
 */
@Injectable()
export class EngagementScheduler extends ScheduledProcess {
  constructor(
    @Inject(RUNTIME) runtime: Runtime,
    @Inject(CLOCK) clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    logger: JsonLogger,
    private readonly engagements: Engagements,
    private readonly assistants: Assistants,
    private readonly clients: Clients,
    private readonly agencies: Agencies,
  ) {
    super('engagement-scheduler', runtime, clock, config, logger);
  }

  /** What the last full tick saw: the read models' checkpoints and each agency zone's date. */
  private lastTick: { digest: string; dates: [string, string][] } | undefined;

  /**
   * A tick decides from the read models and the agencies' local dates only (notice ends on a date,
   * silence counts working days): while neither changed since the last full tick, there is nothing to
   * do, and the tick reads nothing but the checkpoints.
   */
  protected async tick(now: Date): Promise<void> {
    const digest = await this.runtime.projectionsDigest([ENGAGEMENT_DETAILS, ASSISTANT_ROSTER]);
    const last = this.lastTick;
    if (last && last.digest === digest && last.dates.every(([zone, date]) => localDate(now, zone) === date)) return;
    const zones = await this.fullTick(now);
    this.lastTick = { digest, dates: [...zones].map((zone) => [zone, localDate(now, zone)]) };
  }

  /** Returns the zones whose dates the decisions depended on. */
  private async fullTick(now: Date): Promise<Set<string>> {
    const zones = new Set<string>(['UTC']);
    const engagements = this.runtime.db.collection<EngagementDoc>('engagement_details');
    const activity = this.runtime.db.collection<EngagementActivityDoc>(ENGAGEMENT_ACTIVITY);
    // what the checks read, without the history (the largest part of an engagement's document)
    const open = await engagements
      .find({ status: { $in: ['active', 'in-notice'] } }, { projection: { history: 0, phaseHistory: 0, plans: 0 } })
      .toArray();
    const activities = await byId(activity, open.map((e) => e._id));
    const settings = new Map<string, Awaited<ReturnType<typeof agencySettingsOf>>>();
    for (const e of open) {
      if (!settings.has(e.agencyId)) settings.set(e.agencyId, await agencySettingsOf(this.agencies, e.agencyId));
      const { timezone, silenceWorkingDays } = settings.get(e.agencyId)!;
      zones.add(timezone);
      const today = localDate(now, timezone);
      if (e.status === 'in-notice' && e.endsOn && e.endsOn <= today) {
        await this.engagements.execute(e._id, { type: 'EndAfterNotice', data: { today } }, this.system(e.agencyId));
        await this.assistants.execute(e.assistantId, { type: 'ReleaseCommitment', data: { engagementId: e._id } }, this.system(e.agencyId));
        continue;
      }
      const other = otherActivityAt(activities.get(e._id));
      const last = other && Date.parse(other) > Date.parse(e.lastActivityAt) ? other : e.lastActivityAt;
      const silent = e.silentSince !== last && today > e.startsOn && workingDaysBetween(last, now, timezone) >= silenceWorkingDays;
      if (silent) {
        const command = { type: 'FlagSilence' as const, data: { now: now.toISOString(), zone: timezone, silenceWorkingDays, otherActivityAt: other } };
        await this.engagements.execute(e._id, command, this.system(e.agencyId));
      }
    }
    await this.reconcileCommitments();
    return zones;
  }

  private async reconcileCommitments(): Promise<void> {
    const roster = this.runtime.db.collection<AssistantRosterDoc>('assistant_roster');
    const engagements = this.runtime.db.collection<EngagementDoc>('engagement_details');
    const committed = await roster.find({ committedWeeklyHours: { $gt: 0 } }).toArray();
    const statuses = await byId(engagements, committed.flatMap((a) => Object.keys(a.commitments ?? {})), { status: 1 });
    for (const a of committed) {
      for (const engagementId of Object.keys(a.commitments ?? {})) {
        const e = statuses.get(engagementId);
        if (e?.status === 'ended') {
          await this.assistants.execute(a._id, { type: 'ReleaseCommitment', data: { engagementId } }, this.system(a.agencyId));
        } else if (!e) {
          await this.rollForward(a._id, a.agencyId, engagementId);
        }
      }
    }
  }

  /** Starts the engagement from its reservation (a no-op when the start went through after all). */
  private async rollForward(assistantId: string, agencyId: string, engagementId: string): Promise<void> {
    const { events } = await this.runtime.store.readStream<AssistantEvent>(assistantStreamId(assistantId));
    const start = events
      .map((ev) => ({ type: ev.type, data: ev.data }) as AssistantEvent)
      .flatMap((ev): EngagementStartedV1[] => (ev.type === 'AssistantCommitmentReserved' && ev.data.engagementId === engagementId ? [ev.data.start] : []))[0];
    if (!start) return;
    const client = await this.clients.load(start.clientId, agencyId);
    if (!client || client.state.status !== 'registered') return;
    const r = await this.engagements.execute(engagementId, { type: 'StartEngagement', data: { ...start, clientCurrency: client.state.currency } }, this.system(agencyId));
    if (r.events.length > 0) this.logger.warn({ msg: 'rolled an interrupted engagement creation forward', engagementId }, 'scheduler');
  }
}

/** Documents by `_id`, 500 ids per query. */
async function byId<T extends { _id: string }>(coll: Collection<T>, ids: string[], projection?: Document): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 500) {
    const docs = await coll.find({ _id: { $in: ids.slice(i, i + 500) } } as Filter<T>, projection ? { projection } : {}).toArray();
    for (const d of docs) out.set(d._id, d as T);
  }
  return out;
}
