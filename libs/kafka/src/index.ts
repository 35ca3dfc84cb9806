export * from './kafka';
export * from './topics';
export * from './publisher';
export * from './renewing-producer';
export * from './consumer-runner';
export * from './dead-letters';
