export * from './clients-facts';
export * from './billing-facts';
export * from './engagement-parties';
export * from './engagement-facts';
