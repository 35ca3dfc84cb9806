import { DeciderSpecification } from '@vaops/testing/decider';
import { clientDecider, type ClientCommand } from './client.decider';

const register: ClientCommand = {
  type: 'RegisterClient',
  data: { clientId: 'c-1', name: 'Jones', email: 'j@x.co', timezone: 'America/New_York', currency: 'USD' },
};
const given = DeciderSpecification.for(clientDecider);

describe('client decider', () => {
  describe('when the client does not exist', () => {
    it('registers it', () => {
      given([]).when(register).then([{ type: 'ClientRegistered', data: register.data }]);
    });
  });

  describe('when the client is registered', () => {
    it('registers nothing for a retried request (its id exists)', () => {
      given([{ type: 'ClientRegistered', data: register.data }]).when(register).thenNothingHappened();
    });
  });
});
