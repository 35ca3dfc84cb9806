import { Injectable } from '@nestjs/common';
import { ScheduledProcess } from '@vaops/platform';
import { agencySettingsOf } from '../../agency/agency-settings';
import { Agencies } from '../../agency/agencies';
import { AssistantRoster } from '../../assistant/assistant-roster/assistant-roster.projection';
import { Assistants } from '../../assistant/assistants';
import { Clients } from '../../client/clients';
import { localDate, workingDaysBetween } from '../../shared/time';
import { EngagementDetails, otherActivityAt } from '../engagement-details/engagement-details.projection';
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
    private readonly engagements: Engagements,
    private readonly assistants: Assistants,
    private readonly clients: Clients,
    private readonly agencies: Agencies,
    private readonly details: EngagementDetails,
    private readonly roster: AssistantRoster,
  ) {
    super('engagement-scheduler');
  }

  /** What the last full tick saw: the read models' checkpoints and each agency zone's date. */
  private lastTick: { digest: string; dates: [string, string][] } | undefined;

  /**
   * A tick decides from the read models and the agencies' local dates only (notice ends on a date,
   * silence counts working days): while neither changed since the last full tick, there is nothing to
   * do, and the tick reads nothing but the checkpoints.
   */
  protected async tick(now: Date): Promise<void> {
    const digest = await this.runtime.projectionsDigest([this.details.projection, this.roster.projection]);
    const last = this.lastTick;
    if (last && last.digest === digest && last.dates.every(([zone, date]) => localDate(now, zone) === date)) return;
    const zones = await this.fullTick(now);
    this.lastTick = { digest, dates: [...zones].map((zone) => [zone, localDate(now, zone)]) };
  }

  /** Returns the zones whose dates the decisions depended on. */
  private async fullTick(now: Date): Promise<Set<string>> {
    const zones = new Set<string>(['UTC']);
    const open = await this.details.open();
    const activities = await this.details.activities(open.map((e) => e._id));
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
    const committed = await this.roster.committed();
    const statuses = await this.details.statuses(committed.flatMap((a) => Object.keys(a.commitments ?? {})));
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

  /**
   * Starts the engagement from its reservation (a no-op when the start went through after all). The
   * assistant's stream keeps each held reservation's start, so its current state says what to start.
   */
  private async rollForward(assistantId: string, agencyId: string, engagementId: string): Promise<void> {
    const assistant = await this.assistants.load(assistantId, agencyId);
    const start = assistant?.state.status === 'registered' ? assistant.state.commitments[engagementId]?.start : undefined;
    if (!start) return;
    const client = await this.clients.load(start.clientId, agencyId);
    if (!client || client.state.status !== 'registered') return;
    const r = await this.engagements.execute(engagementId, { type: 'StartEngagement', data: { ...start, clientCurrency: client.state.currency } }, this.system(agencyId));
    if (r.events.length > 0) this.logger.warn({ msg: 'rolled an interrupted engagement creation forward', engagementId }, 'scheduler');
  }
}
