export * from './clients-facts';
export * from './billing-facts';
