/** Every shape of the public API, one module per resource. */
export * from './common.js';
export * from './endpoints.js';
export * from './events.js';
export * from './health.js';
export * from './orders.js';
export * from './payments.js';
export * from './refunds.js';
export * from './request-logs.js';
export * from './webhooks.js';
