/* Mediateka's service worker: answers from what a person saved for offline viewing, nothing else.
   Registered only when a person saves a film or opens the offline page (static/web/js/offline.js).
   - Saved films live in one cache each ("mediateka-film-<slug>"), filled by the page; any request
     for an address found there is answered from it (with a 206 for a Range request).
   - A page that cannot be fetched (no connection) is answered with the offline page in its language.
   Everything else goes to the network untouched. See docs/offline.md. */
'use strict';
const SHELL = 'mediateka-shell-{{ version }}';
const SHELLS = {{ shells_json|safe }};
const ASSETS = {{ assets_json|safe }};

self.addEventListener('install', (event) => {
  // One missing file must not stop the worker: the offline page is still worth having.
  event.waitUntil(caches.open(SHELL).then((cache) => Promise.all(
    [...SHELLS, ...ASSETS].map((url) => cache.add(url).catch(() => null)))).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith('mediateka-shell-') && name !== SHELL)
    .map((name) => caches.delete(name)))));
});

function shellFor(url) {
  const language = new URL(url).pathname.split('/')[1];
  const own = SHELLS.find((path) => path.split('/')[1] === language) || SHELLS[0];
  return caches.match(own, { cacheName: SHELL }).then((hit) => hit || caches.match(SHELLS[0], { cacheName: SHELL }));
}

// A media element asks for byte ranges; the cache holds whole files. The whole file answers a
// request from the first byte on, as it is: a response made here has no address, and Chromium's own
// HLS player needs the playlist's.
async function ranged(response, request) {
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('range') || '');
  if (!range || (range[1] === '0' && range[2] === '')) return response;
  const body = await response.blob();
  const size = body.size;
  let first = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1]);
  let last = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (first >= size || last < first) {
    return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  }
  const headers = new Headers(response.headers);
  headers.set('Content-Range', `bytes ${first}-${last}/${size}`);
  headers.set('Content-Length', String(last - first + 1));
  return new Response(body.slice(first, last + 1), { status: 206, headers });
}

async function navigate(request) {
  try {
    const response = await fetch(request);
    if (SHELLS.includes(new URL(request.url).pathname) && response.ok) {
      const copy = response.clone();
      caches.open(SHELL).then((cache) => cache.put(request.url, copy));
    }
    return response;
  } catch (error) {
    const shell = await shellFor(request.url);
    if (shell) return shell;
    throw error;
  }
}

async function saved(request) {
  const hit = await caches.match(request.url, { ignoreVary: true, ignoreSearch: false });
  return hit ? ranged(hit, request) : fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  event.respondWith(request.mode === 'navigate' ? navigate(request) : saved(request));
});
