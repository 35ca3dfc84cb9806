import { deciderSpec } from '@vaops/event-sourcing';
import { clientDecider, type ClientCommand } from './client.decider';

const register: ClientCommand = {
  type: 'RegisterClient',
  data: { clientId: 'c-1', name: 'Jones', email: 'j@x.co', timezone: 'America/New_York', currency: 'USD' },
};
const { when } = deciderSpec(clientDecider);

describe('client decider', () => {
  describe('when the client does not exist', () => {
    it('registers it', () => {
      expect(when([], register)).toEqual([{ type: 'ClientRegistered', data: register.data }]);
    });
  });

  describe('when the client is registered', () => {
    it('registers nothing for a retried request (its id exists)', () => {
      expect(when([{ type: 'ClientRegistered', data: register.data }], register)).toEqual([]);
    });
  });
});
