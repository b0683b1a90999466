import { type Html, html } from '../html.js';

/** One labelled drop-down of a list page's filter form: "All" first, then each value, the chosen one selected. */
export function selectFilter(field: {
  id: string;
  name: string;
  label: string;
  testId: string;
  values: readonly string[];
  chosen: string | null;
}): Html {
  return html`<div class="field field-inline">
    <label for="${field.id}">${field.label}</label>
    <select id="${field.id}" name="${field.name}" data-test-id="${field.testId}">
      <option value="">All</option>
      ${field.values.map(
        (value) =>
          html`<option value="${value}"${value === field.chosen ? html` selected` : null}>${value}</option>`,
      )}
    </select>
  </div>`;
}
