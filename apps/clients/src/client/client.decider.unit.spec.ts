import { fold } from '@vaops/event-sourcing';
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
    it('registers nothing for a retried request (its id exists)', () => {
      expect(clientDecider.decide(register, given({ type: 'ClientRegistered', data: register.data }))).toEqual([]);
    });
  });
});
