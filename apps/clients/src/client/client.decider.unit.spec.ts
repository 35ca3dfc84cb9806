import { DomainError } from '@vaops/event-sourcing';
import { DeciderSpecification } from '@vaops/testing/decider';
import { clientDecider, type ClientCommand } from './client.decider';

const sealed = (ct: string) => ({ pii: 'v1' as const, person: 'c-1', iv: 'bm9uY2Utb2YtMTI=', ct });
const registration = { clientId: 'c-1', name: sealed('Sm9uZXM='), email: sealed('akB4LmNv'), timezone: 'America/New_York', currency: 'USD' };
const register: ClientCommand = { type: 'RegisterClient', data: registration };
const registered = { type: 'ClientRegistered' as const, data: registration };
const erase: ClientCommand = { type: 'ErasePerson', data: { erasedAt: '2026-12-02T10:00:00.000Z' } };
const erased = { type: 'PersonErased' as const, data: { personId: 'c-1', kind: 'client' as const, erasedAt: '2026-12-02T10:00:00.000Z' } };
const given = DeciderSpecification.for(clientDecider);

describe('client decider', () => {
  describe('when the client does not exist', () => {
    it('registers it, with the name and email the route sealed', () => {
      given([]).when(register).then([registered]);
    });

    it('refuses an erasure: there is no such client', () => {
      given([]).when(erase).thenThrows(DomainError, { code: 'PERSON.NOT_FOUND', kind: 'not-found' });
    });
  });

  describe('when the client is registered', () => {
    it('registers nothing for a retried request (its id exists)', () => {
      given([registered]).when(register).thenNothingHappened();
    });

    it('records the erasure, carrying no personal data', () => {
      given([registered]).when(erase).then([erased]);
    });

    it('erases a client registered before encryption (plaintext in the store) the same way', () => {
      given([{ type: 'ClientRegistered', data: { ...registration, name: 'Jones', email: 'j@x.co' } }]).when(erase).then([erased]);
    });
  });

  describe('when the client is erased', () => {
    it('refuses a second erasure', () => {
      given([registered, erased]).when(erase).thenThrows(DomainError, { code: 'PERSON.ALREADY_ERASED', kind: 'conflict' });
    });

    it('registers nothing for a retried registration', () => {
      given([registered, erased]).when(register).thenNothingHappened();
    });
  });
});
