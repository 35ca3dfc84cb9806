import type { HandoverScheduledV1, HandoverUnwoundV1 } from '@vaops/contracts';

// ---------------------------------------------------------------- events

/**
 * What the scheduling service did for one handover (stream `handover-<newEngagementId>`): the record
 * that makes its reaction to HandoverPlanned and HandoverCancelled happen once, whatever the redeliveries.
 */
export type HandoverEvent = { type: 'HandoverScheduled'; data: HandoverScheduledV1 } | { type: 'HandoverUnwound'; data: HandoverUnwoundV1 };

// ---------------------------------------------------------------- state

export type HandoverState =
  | { status: 'none' }
  | { status: 'scheduled'; scheduled: HandoverScheduledV1 }
  /** `scheduled` is null when the handover was cancelled before its appointments were moved. */
  | { status: 'unwound'; scheduled: HandoverScheduledV1 | null; unwound: HandoverUnwoundV1 };

export const initialHandoverState = (): HandoverState => ({ status: 'none' });

export function evolveHandover(state: HandoverState, event: HandoverEvent): HandoverState {
  switch (event.type) {
    case 'HandoverScheduled':
      return state.status === 'none' ? { status: 'scheduled', scheduled: event.data } : state;
    case 'HandoverUnwound':
      return { status: 'unwound', scheduled: state.status === 'none' ? null : state.scheduled, unwound: event.data };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const handoverStreamId = (newEngagementId: string): string => `handover-${newEngagementId}`;
