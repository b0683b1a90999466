// The merchant dashboard's one script. Pages arrive rendered by the server; this adds the actions
// (sign-in, API secret regeneration, refunds and captures, webhook settings, endpoints, events,
// retries, the docs' own-secret samples), copy/reveal, local times, the chart, auto-refresh and new
// rows. The stylesheets are bundled alongside, into dist/web/dashboard.css.
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { enableApiSecretRegeneration } from './api-secret.js';
import { enableAuthForms } from './auth-forms.js';
import { startAutoRefresh } from './auto-refresh.js';
import { enableCapture } from './capture.js';
import { enableCopyAndReveal } from './clipboard.js';
import { enableEndpoints } from './endpoints.js';
import { enableEvents } from './events.js';
import { enableFilterForms } from './filters.js';
import { showLocalTimes } from './local-times.js';
import { watchForNewRows } from './new-rows.js';
import { enableRefunds } from './refund-form.js';
import { enableSampleSecret, foldDocsNavOnPhones } from './sample-secret.js';
import { enableLogout, focusOpenedItem } from './session-actions.js';
import { drawVolumeChart } from './volume-chart.js';
import { enableWebhookSettings } from './webhook-settings.js';

const page = document.body.dataset.page;

showLocalTimes();
enableCopyAndReveal();
enableLogout();
if (page === 'login' || page === 'signup') enableAuthForms();
if (page === 'home') {
  drawVolumeChart();
  enableApiSecretRegeneration();
}
if (page === 'transactions') {
  enableRefunds();
  enableCapture();
}
if (page === 'webhooks') enableWebhookSettings();
if (page === 'transactions' || page === 'webhooks') {
  enableFilterForms();
  startAutoRefresh();
  watchForNewRows();
  focusOpenedItem();
}
if (page === 'endpoints') {
  enableEndpoints();
  focusOpenedItem();
}
if (page === 'events') {
  enableEvents();
  startAutoRefresh();
  focusOpenedItem();
}
if (page === 'docs') {
  enableSampleSecret();
  foldDocsNavOnPhones();
}
