/* "Save for offline" on a film page: the chooser only. The saving code (offline.js) and the service
   worker are fetched when the person saves, resumes or removes, or when this film was saved before. */
(() => {
  'use strict';
  const root = document.querySelector('[data-save]');
  if (!root || !window.caches || !navigator.serviceWorker) return;
  root.hidden = false;
  const form = root.querySelector('[data-save-form]');
  const open = root.querySelector('[data-save-open]');
  const language = form.elements.language;
  let code = null;
  const run = (name, ...args) => {
    code = code || import(root.dataset.module);
    return code.then((module) => module[name](root, ...args));
  };
  open.addEventListener('click', () => {
    form.hidden = !form.hidden;
    open.setAttribute('aria-expanded', String(!form.hidden));
  });
  form.addEventListener('change', (event) => {
    if (event.target.name !== 'language') return;
    for (const field of form.querySelectorAll('[data-save-version]')) field.hidden = field.dataset.saveVersion !== language.value;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    form.hidden = true;
    open.setAttribute('aria-expanded', 'false');
    run('saveFromPage', language.value, form.querySelector(`[name="rung-${language.value}"]:checked`));
  });
  root.querySelector('[data-save-resume]').addEventListener('click', () => run('resumeFromPage'));
  root.querySelector('[data-save-remove]').addEventListener('click', () => run('removeFromPage'));
  caches.has(`mediateka-film-${root.dataset.film}`).then((saved) => saved && run('showFromPage'));
})();
