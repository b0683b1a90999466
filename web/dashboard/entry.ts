// The merchant dashboard's one script. Pages arrive rendered by the server; this adds the actions
// (sign-in, refunds, webhook settings, retries), copy/reveal, the chart and auto-refresh. The
// stylesheets are bundled alongside, into dist/web/dashboard.css.
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { enableAuthForms } from './auth-forms.js';
import { startAutoRefresh } from './auto-refresh.js';
import { enableCopyAndReveal } from './clipboard.js';
import { enableRefunds } from './refund-form.js';
import { enableLogout, focusOpenedItem } from './session-actions.js';
import { drawVolumeChart } from './volume-chart.js';
import { enableWebhookSettings } from './webhook-settings.js';

const page = document.body.dataset.page;

enableCopyAndReveal();
enableLogout();
if (page === 'login' || page === 'signup') enableAuthForms();
if (page === 'home') drawVolumeChart();
if (page === 'transactions') enableRefunds();
if (page === 'webhooks') enableWebhookSettings();
if (page === 'transactions' || page === 'webhooks') {
  startAutoRefresh();
  focusOpenedItem();
}
