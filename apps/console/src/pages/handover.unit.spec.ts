import { ServiceError, type ServicesApi } from '../api';
import { handoverBlock, handoverOf, type HandoverPlan } from './handover';

const names = new Map([
  ['ana', 'Ana Lima'],
  ['bea', 'Bea <Cruz>'],
]);
const plan = (over: Partial<HandoverPlan> = {}): HandoverPlan => ({
  engagementId: 'e1',
  newEngagementId: 'e2',
  clientId: 'c1',
  outgoingAssistantId: 'ana',
  replacementAssistantId: 'bea',
  handoverOn: '2026-03-16',
  startingPhase: 1,
  endsOn: '2026-03-30',
  status: 'planned',
  cancelled: null,
  appointments: {
    moved: [{ appointmentId: 'a1', newAppointmentId: 'a1b', kind: 'check-in', startsAt: '2026-03-17T10:00:00.000Z', endsAt: '2026-03-17T10:30:00.000Z', seriesId: null }],
    conflicts: [{ appointmentId: 'a2', kind: 'review', startsAt: '2026-03-18T14:00:00.000Z', endsAt: '2026-03-18T15:00:00.000Z', seriesId: null, reason: 'APPOINTMENT.CONFLICT' }],
    meeting: { startsAt: '2026-03-13T08:00:00.000Z', endsAt: '2026-03-13T08:30:00.000Z', outgoingAppointmentId: 'm1', replacementAppointmentId: 'm2' },
  },
  unwound: null,
  ...over,
});
const text = (h: { value: string }) => h.value.replace(/\s+/g, ' ');

describe('the handover block of an engagement in notice', () => {
  it('names the replacement, the day, the phase and the status, the moves, the conflicts and the meeting in the client’s zone and the viewer’s', () => {
    const out = text(handoverBlock(plan(), names, 'America/New_York'));
    expect(out).toContain('To <strong>Bea &lt;Cruz&gt;</strong> from 2026-03-16, starting in phase I · <span data-handover-status>planned</span>');
    // 10:00 UTC on 17 March is 06:00 in New York (daylight time from 8 March)
    expect(out).toContain('<li>check-in, Tue 17 Mar 2026, 06:00–06:30 (America/New_York): Ana Lima → Bea &lt;Cruz&gt;</li>');
    expect(out).toContain('<li>review, Wed 18 Mar 2026, 10:00–11:00 (America/New_York): stays with Ana Lima <span class="muted">(APPOINTMENT.CONFLICT)</span></li>');
    expect(out).toContain('Fri 13 Mar 2026, 04:00–04:30 (America/New_York), your time <time data-viewer datetime="2026-03-13T08:00:00.000Z">');
  });

  it('says the appointments are still being moved before the scheduling service has done it, and when no meeting could be booked', () => {
    expect(text(handoverBlock(plan({ appointments: null, startingPhase: null }), names, 'UTC'))).toMatch(/starting in no phase .*The appointments are being moved\./);
    const none = text(handoverBlock(plan({ appointments: { moved: [], conflicts: [], meeting: null } }), names, 'UTC'));
    expect(none).toContain('No handover meeting');
    expect(none).not.toContain('<ul');
  });

  it('shows a cancelled handover with who withdrew and what was given back or left unresolved', () => {
    const out = text(
      handoverBlock(
        plan({
          status: 'cancelled',
          cancelled: { by: 'assistant', reason: 'cannot take it', at: '2026-03-10T09:00:00.000Z' },
          unwound: {
            restored: [{ appointmentId: 'a1b', restoredAppointmentId: 'a1c', startsAt: '2026-03-17T10:00:00.000Z', endsAt: '2026-03-17T10:30:00.000Z' }],
            unresolved: [{ appointmentId: 'a3', kind: 'check-in', startsAt: '2026-03-19T10:00:00.000Z', endsAt: '2026-03-19T10:30:00.000Z', seriesId: null, reason: 'APPOINTMENT.OUTSIDE_WORKING_HOURS' }],
            meetingCancelled: true,
          },
        }),
        names,
        'UTC',
      ),
    );
    expect(out).toContain('<span data-handover-status>cancelled</span>');
    expect(out).toContain('Cancelled by Bea &lt;Cruz&gt; on 2026-03-10: cannot take it');
    expect(out).toContain('Given back to Ana Lima</h4><ul><li>Tue 17 Mar 2026, 10:00–10:30 (UTC)</li></ul>');
    expect(out).toContain('check-in, Thu 19 Mar 2026, 10:00–10:30 (UTC) <span class="muted">(APPOINTMENT.OUTSIDE_WORKING_HOURS)</span>');
    // the moves and the meeting undone are no longer shown as the plan
    expect(out).not.toContain('Appointments moved');
    expect(out).not.toContain('data-handover-meeting');
  });
});

describe('reading the handover of an engagement', () => {
  const apiAnswering = (answer: () => Promise<unknown>) => {
    const paths: string[] = [];
    const api = { get: (_s: string, path: string) => (paths.push(path), answer()) } as unknown as ServicesApi;
    return { api, paths };
  };

  it('reads the plan at the position the page waits for', async () => {
    const { api, paths } = apiAnswering(async () => plan());
    await expect(handoverOf(api, 'e1', 't', '42')).resolves.toMatchObject({ replacementAssistantId: 'bea' });
    await handoverOf(api, 'e1', 't');
    expect(paths).toEqual(['/engagements/e1/handover?minPosition=42', '/engagements/e1/handover']);
  });

  it('takes a 404 as no handover, and lets any other refusal through to the error page', async () => {
    await expect(handoverOf(apiAnswering(() => Promise.reject(new ServiceError(404, 'HANDOVER.NOT_FOUND', 'none'))).api, 'e1', 't')).resolves.toBeNull();
    await expect(handoverOf(apiAnswering(() => Promise.reject(new ServiceError(502, 'CONSOLE.SERVICE_UNAVAILABLE', 'down'))).api, 'e1', 't')).rejects.toMatchObject({ status: 502 });
    await expect(handoverOf(apiAnswering(() => Promise.reject(new ServiceError(403, 'AUTH.FORBIDDEN_ROLE', 'no'))).api, 'e1', 't')).rejects.toMatchObject({ status: 403 });
  });
});
