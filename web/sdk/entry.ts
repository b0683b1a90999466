// checkout.js: the embeddable SDK. Sets window.PaymentGateway; nothing else leaks into the page.
import { PaymentGateway } from './payment-gateway.js';

declare global {
  interface Window {
    PaymentGateway: typeof PaymentGateway;
  }
}

window.PaymentGateway = PaymentGateway;
