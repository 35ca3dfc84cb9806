import { Controller, Get, Param, Query } from '@nestjs/common';
import type { Reliability } from '@vaops/contracts';
import { ApiTags } from '@nestjs/swagger';
import { ResourceErrors, CurrentPrincipal, MinPositionQueryDto, type Principal } from '@vaops/platform';
import { SchedulingFacts } from '../../facts/clients-facts.projection';
import { Appointments, type AppointmentDoc, type Party } from '../appointments/appointments.projection';

export type { Reliability };

/**
 * Counts a party's record: kept and no-show appointments, and the reschedules and cancellations made
 * by `side` (the agency acting for the assistant counts for the assistant). What the client side
 * moved never counts against the assistant, and the reverse: clients miss calls too.
 */
export function reliabilityOf(rows: AppointmentDoc[], side: 'assistant' | 'client'): Reliability {
  const r: Reliability = { kept: 0, rescheduledInTime: 0, rescheduledLate: 0, cancelledInTime: 0, cancelledLate: 0, noShow: 0 };
  const ours = (by: string) => (side === 'client' ? by === 'client' : by === 'assistant' || by === 'agency');
  for (const a of rows) {
    if (a.status === 'kept') r.kept++;
    if (a.status === 'no-show') r.noShow++;
    for (const c of a.changes ?? []) {
      if (!ours(c.by)) continue;
      if (c.type === 'rescheduled') r[c.late ? 'rescheduledLate' : 'rescheduledInTime']++;
      else r[c.late ? 'cancelledLate' : 'cancelledInTime']++;
    }
  }
  return r;
}

@ApiTags('reliability')
@Controller()
export class ReliabilityController {
  constructor(
    private readonly appointments: Appointments,
    private readonly facts: SchedulingFacts,
  ) {}

  /** The agency sees all; the assistant their own; a client of theirs only its own appointments' part. */
  @Get('assistants/:id/reliability')
  async assistant(@Param('id') id: string, @Query() q: MinPositionQueryDto, @CurrentPrincipal() p: Principal): Promise<Reliability> {
    return this.record('assistant', id, q, p);
  }

  /** The same record for a client: the agency, the client itself, or its assistants (their part). */
  @Get('clients/:id/reliability')
  async client(@Param('id') id: string, @Query() q: MinPositionQueryDto, @CurrentPrincipal() p: Principal): Promise<Reliability> {
    return this.record('client', id, q, p);
  }

  private async record(side: 'assistant' | 'client', id: string, q: MinPositionQueryDto, p: Principal): Promise<Reliability> {
    const party: Party = side === 'assistant' ? { assistantId: id } : { clientId: id };
    let counterpart: { assistantId?: string; clientId?: string } = {};
    const self = (p.role === 'assistant' && p.assistantId === id && side === 'assistant') || (p.role === 'client' && p.clientId === id && side === 'client');
    if (p.role !== 'agency-admin' && !self) {
      // a counterpart sees only what concerns its own appointments, and only with a shared engagement
      const mine = p.role === 'assistant' ? { assistantId: p.assistantId } : p.role === 'client' ? { clientId: p.clientId } : {};
      const shared = await this.facts.engagementOf({ agencyId: p.agencyId, ...party, ...mine });
      if (p.role === side || !shared) throw ResourceErrors[`${side}NotFound`](`${side} ${id} not found`);
      counterpart = mine;
    }
    await this.appointments.waitFor(q.minPosition);
    const rows = await this.appointments.ofParty(p.agencyId, party, counterpart);
    return reliabilityOf(rows, side);
  }
}
