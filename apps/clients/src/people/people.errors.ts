import { defineErrors } from '@vaops/event-sourcing';

/** How the clients service refuses an erasure (GDPR Art. 17) of a client contact or an assistant. */
export const PeopleErrors = defineErrors('clients/people', {
  notFound: { code: 'PERSON.NOT_FOUND', kind: 'not-found', meaning: "no client or assistant of the caller's agency has this id" },
  alreadyErased: { code: 'PERSON.ALREADY_ERASED', kind: 'conflict', meaning: 'the person was erased before: their key is gone, there is nothing left to erase' },
});
