/**
 * A confirmation step for actions that move money: a modal <dialog> (focus kept inside, Escape
 * cancels) that says exactly what will happen. It lives outside the page's refreshing regions, so
 * a table brought up to date meanwhile cannot take it away. Cancel has the focus: pressing Enter
 * twice never confirms by accident.
 */
export interface Confirmation {
  title: string;
  message: string;
  confirm: string;
}

let dialog: HTMLDialogElement | null = null;

function theDialog(): HTMLDialogElement {
  if (dialog) return dialog;
  dialog = document.createElement('dialog');
  dialog.className = 'confirm-dialog';
  dialog.dataset.testId = 'confirm-dialog';
  dialog.setAttribute('aria-labelledby', 'confirm-title');
  dialog.setAttribute('aria-describedby', 'confirm-message');
  const form = document.createElement('form');
  form.method = 'dialog';
  const title = document.createElement('h2');
  title.id = 'confirm-title';
  const message = document.createElement('p');
  message.id = 'confirm-message';
  const actions = document.createElement('div');
  actions.className = 'actions';
  const confirm = document.createElement('button');
  confirm.className = 'button button-primary';
  confirm.value = 'confirm';
  confirm.dataset.testId = 'confirm-button';
  const cancel = document.createElement('button');
  cancel.className = 'button';
  cancel.value = 'cancel';
  cancel.textContent = 'Cancel';
  cancel.dataset.testId = 'cancel-button';
  cancel.autofocus = true;
  actions.append(confirm, cancel);
  form.append(title, message, actions);
  dialog.append(form);
  document.body.append(dialog);
  return dialog;
}

/** Resolves true when the person confirms, false on Cancel or Escape; focus goes back where it was. */
export function confirmAction(options: Confirmation): Promise<boolean> {
  const box = theDialog();
  const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  (box.querySelector('#confirm-title') as HTMLElement).textContent = options.title;
  (box.querySelector('#confirm-message') as HTMLElement).textContent = options.message;
  (box.querySelector('[value="confirm"]') as HTMLElement).textContent = options.confirm;
  box.returnValue = '';
  return new Promise((resolve) => {
    box.addEventListener(
      'close',
      () => {
        if (returnTo?.isConnected) returnTo.focus();
        resolve(box.returnValue === 'confirm');
      },
      { once: true },
    );
    box.showModal();
  });
}
