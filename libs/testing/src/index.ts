export * from './wait';
export * from './servers';
export * from './event-store-contract';
export * from './service-process';
export * from './projection-idempotency';
export * from './query-plan';
export * from './bad-input';
export * from './idempotency';
