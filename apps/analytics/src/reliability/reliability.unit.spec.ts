import type { AppointmentChange } from '../facts/appointments.projection';
import { reliabilityOf } from './reliability';

const change = (type: AppointmentChange['type'], by: AppointmentChange['by'], late: boolean): AppointmentChange => ({ type, by, late });

describe('reliability', () => {
  it('counts kept and no-show, and only what the assistant’s side moved or cancelled', () => {
    const r = reliabilityOf([
      { status: 'kept', changes: [change('rescheduled', 'assistant', false), change('rescheduled', 'client', true)] },
      { status: 'kept', changes: [change('rescheduled', 'agency', true)] },
      { status: 'no-show', changes: [] },
      { status: 'cancelled', changes: [change('cancelled', 'client', true)] },
      { status: 'cancelled', changes: [change('cancelled', 'assistant', true)] },
      { status: 'cancelled', changes: [change('cancelled', 'system', false)] },
      { status: 'cancelled', changes: [change('cancelled', 'agency', false)] },
      { status: 'booked', changes: [] },
    ]);
    expect(r).toEqual({ kept: 2, rescheduledInTime: 1, rescheduledLate: 1, cancelledInTime: 1, cancelledLate: 1, noShow: 1 });
  });
});
