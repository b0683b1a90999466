import type { Config } from '../config.js';
import type { SimulationSettings } from '../domain/simulation.js';

export const simulationSettings = (config: Config): SimulationSettings => ({
  testMode: config.TEST_MODE,
  testProcessingDelayMs: config.TEST_PROCESSING_DELAY,
  testPaymentSuccess: config.TEST_PAYMENT_SUCCESS,
});
