export * from './person-keys';
export * from './mongo-person-keys';
