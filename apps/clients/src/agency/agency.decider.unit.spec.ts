import { DEFAULT_AGENCY_SETTINGS, type AgencySettingsChangedV1 } from '@vaops/contracts';
import { DeciderSpecification, describeIfMatch } from '@vaops/testing/decider';
import { agencyStreamId, type AgencyEvent } from './agency';
import { agencyDecider, type AgencyCommand } from './agency.decider';

const settings: AgencySettingsChangedV1 = { timezone: 'America/New_York', minimumNoticeHours: 48, bufferMinutes: 15, roundingMinutes: 6, roundingMode: 'up', silenceWorkingDays: 3 };
const change = (data: AgencySettingsChangedV1): AgencyCommand => ({ type: 'ChangeSettings', data });
const changed = (data: AgencySettingsChangedV1): AgencyEvent => ({ type: 'AgencySettingsChanged', data });
const given = DeciderSpecification.for(agencyDecider);

describe('agency decider', () => {
  describe('when the agency has never changed its settings', () => {
    it('runs on the default settings', () => {
      expect(given([]).state()).toEqual({ settings: DEFAULT_AGENCY_SETTINGS, customized: false });
    });

    it('records the settings it is given', () => {
      given([]).when(change(settings)).then([changed(settings)]);
    });

    it('records the defaults too when they are chosen explicitly (other services then hear them)', () => {
      given([]).when(change({ ...DEFAULT_AGENCY_SETTINGS })).then([changed(DEFAULT_AGENCY_SETTINGS)]);
    });

    it('records a copy, not the command it was given', () => {
      const command = change({ ...settings });
      const [event] = given([]).when(command).events();
      expect(event.data).toEqual(command.data);
      expect(event.data).not.toBe(command.data);
    });
  });

  describe('when the agency has changed its settings', () => {
    const state = [changed(settings)];

    it('holds the last settings recorded', () => {
      expect(given(state).state()).toEqual({ settings, customized: true });
      const later = { ...settings, bufferMinutes: 30 };
      expect(given([...state, changed(later)]).state()).toEqual({ settings: later, customized: true });
    });

    it('records nothing for the same settings again (a retried or repeated request)', () => {
      given(state).when(change({ ...settings })).thenNothingHappened();
    });

    it.each<[string, Partial<AgencySettingsChangedV1>]>([
      ['timezone', { timezone: 'Europe/London' }],
      ['minimumNoticeHours', { minimumNoticeHours: 0 }],
      ['bufferMinutes', { bufferMinutes: 0 }],
      ['roundingMinutes', { roundingMinutes: 15 }],
      ['roundingMode', { roundingMode: 'nearest' }],
      ['silenceWorkingDays', { silenceWorkingDays: 5 }],
    ])('records a change of %s alone', (_field, over) => {
      given(state).when(change({ ...settings, ...over })).then([changed({ ...settings, ...over })]);
    });

    it('records going back to the defaults', () => {
      given(state).when(change({ ...DEFAULT_AGENCY_SETTINGS })).then([changed(DEFAULT_AGENCY_SETTINGS)]);
    });
  });

  it('keeps one stream per agency', () => {
    expect(agencyStreamId('ag-1')).toBe('agency-ag-1');
  });

  describeIfMatch(agencyDecider, agencyStreamId('ag-1'), {
    changes: [
      [change(settings), 0, 1],
      [change(settings), 1, 1],
      [change({ ...settings, bufferMinutes: 30 }), 1, 2],
    ],
    stale: { first: change(settings), refused: [[change({ ...settings, bufferMinutes: 30 }), 0], [change(settings), 2]] },
  });
});
