export * from './wait';
export * from './servers';
export * from './event-store-contract';
