export * from './clients-facts';
