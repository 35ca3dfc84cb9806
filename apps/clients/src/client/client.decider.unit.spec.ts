import { DomainError, fold } from '@vaops/event-sourcing';
import type { ClientEvent } from './client';
import { clientDecider, type ClientCommand } from './client.decider';

const register: ClientCommand = {
  type: 'RegisterClient',
  data: { clientId: 'c-1', name: 'Jones', email: 'j@x.co', timezone: 'America/New_York', currency: 'USD' },
};
const given = (...events: ClientEvent[]) => fold(clientDecider, events);

describe('client decider', () => {
  describe('when the client does not exist', () => {
    it('registers it', () => {
      expect(clientDecider.decide(register, given())).toEqual([{ type: 'ClientRegistered', data: register.data }]);
    });
  });

  describe('when the client is registered', () => {
    it('refuses to register it again with CLIENT.ALREADY_EXISTS', () => {
      const state = given({ type: 'ClientRegistered', data: register.data });
      expect(() => clientDecider.decide(register, state)).toThrow(expect.objectContaining({ code: 'CLIENT.ALREADY_EXISTS', kind: 'conflict' }));
      expect(() => clientDecider.decide(register, state)).toThrow(DomainError);
    });
  });
});
