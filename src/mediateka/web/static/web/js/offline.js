/* Films saved for offline viewing: the saving (imported by save.js on a film page, when a person
   saves) and the offline page that lists and plays them (its own script). An ES module; plain ES2020.
   Each film is one Cache Storage cache, "mediateka-film-<slug>": its rung's playlist, init segment
   and segments, the version's WebVTT tracks, the poster, and a record (JSON) of what was asked for.
   The cache is the truth of what is stored: a resumed save fetches only what it lacks. The service
   worker (/sw.js) answers those addresses from the cache. See docs/offline.md. */
const PREFIX = 'mediateka-film-';
const MEGABYTE = 1024 * 1024;
const AT_ONCE = 3; // files fetched at the same time

const texts = () => JSON.parse(document.getElementById('offline-text').textContent);
const cacheName = (slug) => PREFIX + slug;
const recordUrl = (slug) => new URL(`/offline/films/${encodeURIComponent(slug)}.json`, location.origin).href;
const absolute = (url) => (url ? new URL(url, location.href).href : '');

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (m, key) => values[key]).replace(/%%/g, '%');
}

function mb(bytes) {
  const value = bytes / MEGABYTE;
  const digits = value < 10 ? 1 : 0;
  const number = Math.max(value, 0.1).toLocaleString(document.documentElement.lang, {
    minimumFractionDigits: 0, maximumFractionDigits: digits,
  });
  return texts().mb.replace('%s', number);
}

const percent = (record) => (record.bytes ? Math.min(100, Math.floor((100 * record.done) / record.bytes)) : 0);

function register(url) {
  return navigator.serviceWorker.register(url, { scope: '/' }).catch(() => null);
}

async function readRecord(slug) {
  if (!(await caches.has(cacheName(slug)))) return null;
  const hit = await (await caches.open(cacheName(slug))).match(recordUrl(slug));
  return hit ? hit.json() : null;
}

function writeRecord(cache, record) {
  const body = JSON.stringify(record);
  return cache.put(recordUrl(record.slug), new Response(body, { headers: { 'Content-Type': 'application/json' } }));
}

async function allRecords() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
  const records = await Promise.all(names.map((name) => readRecord(name.slice(PREFIX.length))));
  return records.filter(Boolean).sort((a, b) => a.title.localeCompare(b.title));
}

// The init segment and the media segments a rung's playlist names, as absolute addresses.
function mediaFiles(playlist, text) {
  const urls = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const map = /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line);
    if (map) urls.push(new URL(map[1], playlist).href);
    else if (line && !line.startsWith('#')) urls.push(new URL(line, playlist).href);
  }
  return urls;
}

async function storedSize(cache, url) {
  const hit = await cache.match(url, { ignoreVary: true });
  if (!hit) return -1;
  return Number(hit.headers.get('Content-Length')) || (await hit.blob()).size;
}

// Fetches one file and keeps the response itself: a copy made in script would lose its address,
// which Chromium's own HLS player reads to know a playlist.
async function keep(cache, url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Refused(response.status);
  await cache.put(url, response.clone());
  return (await response.blob()).size;
}

// The site answered, but not with the file (a film replaced or withdrawn meanwhile): not the connection.
class Refused extends Error {
  constructor(status) {
    super(`HTTP ${status}`);
    this.status = status;
  }
}

class NoSpace extends Error {
  constructor(needed, free) {
    super('not enough space');
    Object.assign(this, { needed, free });
  }
}

async function freeSpace() {
  if (!navigator.storage || !navigator.storage.estimate) return Infinity;
  const { quota, usage } = await navigator.storage.estimate();
  return Math.max(0, quota - usage);
}

// Stores what the record names that the cache lacks; `progress(record)` after each file.
async function fillRecord(record, progress) {
  const cache = await caches.open(cacheName(record.slug));
  record.complete = false;
  await writeRecord(cache, record);
  if ((await storedSize(cache, record.play)) < 0) await keep(cache, record.play);
  const playlist = await (await cache.match(record.play)).text();
  const files = [record.play, ...mediaFiles(record.play, playlist), record.poster, ...record.tracks.map((t) => t.src)];
  const missing = [];
  let done = 0;
  for (const url of new Set(files.filter(Boolean))) {
    const size = await storedSize(cache, url);
    if (size < 0) missing.push(url);
    else done += size;
  }
  record.done = done;
  progress(record);
  const free = await freeSpace();
  if (record.bytes - done > free) throw new NoSpace(record.bytes - done, free);
  // A few files at a time: on a link with long round trips, one at a time leaves it idle between files.
  let next = 0;
  let failure = null;
  const worker = async () => {
    while (!failure && next < missing.length) {
      const url = missing[next++];
      let size;
      try {
        size = await keep(cache, url);
      } catch (error) {
        failure = failure || error;
        return;
      }
      done += size; // after the await: `done += await ...` would add to a stale total
      record.done = done;
      progress(record);
      if (next % 5 === 0) await writeRecord(cache, record); // the partial figure the lists show
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  if (failure && failure.name === 'QuotaExceededError') throw new NoSpace(record.bytes - done, await freeSpace());
  if (failure) throw failure;
  Object.assign(record, { done, bytes: Math.max(record.bytes, done), complete: true, savedAt: new Date().toISOString() });
  await writeRecord(cache, record);
  return cache;
}

// One completed save counts in the film's reach: film, language and rung only (outreach.saves).
async function countSave(url, record, cache) {
  if (record.counted) return;
  try {
    const { csrf } = await (await fetch(url, { credentials: 'same-origin', cache: 'no-store' })).json();
    const answer = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify({ film: record.slug, language: record.language, rung: record.rung }),
    });
    if (answer.ok) {
      record.counted = true;
      await writeRecord(cache, record);
    }
  } catch (error) { /* offline: not counted, and the film is saved all the same */ }
}

// Saves or resumes `record`, telling `say(text, percent)` how far; the message on failure.
async function save(record, countUrl, say) {
  const T = texts();
  const told = (r) => say(fill(T.progress, { done: mb(r.done), total: mb(r.bytes), percent: percent(r) }), percent(r));
  try {
    const cache = await fillRecord(record, told);
    await countSave(countUrl, record, cache);
    return null;
  } catch (error) {
    if (error instanceof NoSpace) return fill(T.quota, { needed: mb(error.needed), free: mb(error.free) });
    if (error instanceof Refused) return fill(T.refused, { status: error.status });
    return T.failed;
  }
}

function summary(record) {
  const T = texts();
  const state = record.complete ? T.statusComplete : `${T.statusPartial} (${percent(record)}%)`;
  return [mb(record.complete ? record.done : record.bytes), record.languageName, record.rungLabel, state].join(' · ');
}

/* The film page (save.js calls these with the [data-save] section). */

function showOnPage(root, record, message) {
  const T = texts();
  const actions = root.querySelector('[data-save-actions]');
  root.querySelector('[data-save-progress]').hidden = true;
  root.dataset.state = record ? (record.complete ? 'complete' : 'partial') : '';
  actions.hidden = !record;
  root.querySelector('[data-save-resume]').hidden = !record || record.complete;
  let said = '';
  if (record) said = record.complete ? fill(T.complete, { total: mb(record.done) }) : fill(T.partial, { done: mb(record.done), total: mb(record.bytes) });
  root.querySelector('[data-save-status]').textContent = message || said;
}

async function saveOnPage(root, record) {
  const status = root.querySelector('[data-save-status]');
  const bar = root.querySelector('[data-save-progress]');
  root.dataset.state = 'saving';
  root.querySelector('[data-save-actions]').hidden = true;
  bar.hidden = false;
  await register(root.dataset.sw);
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => null);
  const message = await save(record, root.dataset.count, (said, value) => {
    status.textContent = said;
    bar.value = value;
  });
  showOnPage(root, await readRecord(record.slug), message);
}

export async function saveFromPage(root, language, chosen) {
  const data = JSON.parse(document.getElementById('player-data').textContent)[language];
  const before = await readRecord(root.dataset.film);
  if (before && before.language === language && before.rung === chosen.value) return saveOnPage(root, before);
  if (before) await caches.delete(cacheName(root.dataset.film)); // another rung or language replaces it
  const record = {
    slug: root.dataset.film,
    title: root.dataset.title,
    url: root.dataset.url,
    language,
    languageName: root.querySelector(`[data-save-version="${language}"]`).dataset.name,
    rung: chosen.value,
    rungLabel: chosen.dataset.label,
    bytes: Number(chosen.dataset.bytes) || 0,
    done: 0,
    complete: false,
    counted: false,
    play: absolute(data.q[chosen.value]),
    poster: absolute(data.poster),
    tracks: data.tracks.map((t) => ({ ...t, src: absolute(t.src) })),
    savedAt: new Date().toISOString(),
  };
  return saveOnPage(root, record);
}

export async function resumeFromPage(root) {
  const record = await readRecord(root.dataset.film);
  if (record) await saveOnPage(root, record);
}

export async function removeFromPage(root) {
  await caches.delete(cacheName(root.dataset.film));
  showOnPage(root, null, texts().removed);
}

export async function showFromPage(root) {
  showOnPage(root, await readRecord(root.dataset.film));
}

/* The offline page. */

function loadHlsJs(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => (window.Hls && window.Hls.isSupported() ? resolve(window.Hls) : reject(new Error('hls.js')));
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

function showChapters(root, video) {
  const list = root.querySelector('[data-offline-chapters]');
  const chapters = Array.from(video.querySelectorAll('track')).find((t) => t.kind === 'chapters');
  list.textContent = '';
  root.querySelector('[data-offline-chapters-title]').hidden = !chapters;
  if (!chapters) return;
  chapters.track.mode = 'hidden'; // loads the cues
  chapters.addEventListener('load', () => {
    for (const cue of Array.from(chapters.track.cues)) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = cue.text;
      button.addEventListener('click', () => { video.currentTime = cue.startTime; video.play().catch(() => null); });
      list.appendChild(document.createElement('li')).appendChild(button);
    }
  });
}

let hls = null;

async function play(root, record) {
  const player = root.querySelector('[data-offline-player]');
  const video = player.querySelector('video');
  const language = document.documentElement.lang;
  if (hls) hls.destroy();
  hls = null;
  player.hidden = false;
  player.querySelector('[data-offline-title]').textContent = record.title;
  for (const old of video.querySelectorAll('track')) old.remove();
  const shown = record.tracks.find((t) => t.kind !== 'chapters' && t.lang === language) || record.tracks.find((t) => t.kind !== 'chapters');
  for (const t of record.tracks) {
    const track = document.createElement('track');
    Object.assign(track, { kind: t.kind, src: t.src, srclang: t.lang, label: t.label, default: t === shown });
    video.appendChild(track);
  }
  showChapters(root, video);
  video.poster = record.poster;
  root.dataset.playing = record.slug;
  const forced = new URLSearchParams(location.search).get('player'); // test hook, as in player.js
  const native = forced !== 'hlsjs' && video.canPlayType('application/vnd.apple.mpegurl');
  root.dataset.engine = native ? 'native' : 'hlsjs';
  if (native) {
    video.src = record.play;
  } else {
    const Hls = await loadHlsJs(root.dataset.hlsjs);
    hls = new Hls();
    hls.loadSource(record.play);
    hls.attachMedia(video);
  }
  video.play().catch(() => null);
}

function item(root, record, list) {
  const T = texts();
  const li = document.createElement('li');
  li.dataset.film = record.slug;
  li.dataset.state = record.complete ? 'complete' : 'partial';
  const title = li.appendChild(document.createElement('strong'));
  title.textContent = record.title;
  const meta = li.appendChild(document.createElement('span'));
  meta.className = 'meta';
  meta.textContent = ` ${summary(record)} `;
  const button = (label, action) => {
    const b = li.appendChild(document.createElement('button'));
    b.type = 'button';
    b.textContent = label;
    b.dataset.action = action;
    return b;
  };
  button(T.play, 'play').addEventListener('click', () => play(root, record));
  if (!record.complete) {
    button(T.resume, 'resume').addEventListener('click', async () => {
      const message = await save(record, root.dataset.count, (said) => { meta.textContent = ` ${said} `; });
      li.replaceWith(item(root, (await readRecord(record.slug)) || record, list));
      if (message) root.querySelector('[data-offline-status]').textContent = message;
    });
  }
  button(T.remove, 'remove').addEventListener('click', async () => {
    await caches.delete(cacheName(record.slug));
    li.remove();
    root.querySelector('[data-offline-status]').textContent = T.removed;
    if (!list.children.length) root.querySelector('[data-offline-status]').textContent = T.empty;
  });
  return li;
}

// Online, the server says which saved films are still public; the others leave this device.
async function forgetUnpublished(root, records) {
  if (!records.length) return records;
  try {
    const query = records.map((r) => `film=${encodeURIComponent(r.slug)}`).join('&');
    const answer = await fetch(`${root.dataset.public}?${query}`, { cache: 'no-store' });
    if (!answer.ok) return records;
    const still = new Set((await answer.json()).public);
    const gone = records.filter((r) => !still.has(r.slug));
    await Promise.all(gone.map((r) => caches.delete(cacheName(r.slug))));
    if (gone.length) root.querySelector('[data-offline-status]').textContent = `${texts().gone} ${gone.map((r) => r.title).join(', ')}`;
    return records.filter((r) => still.has(r.slug));
  } catch (error) {
    return records; // offline: the saved films stay
  }
}

async function offlinePage(root) {
  register(root.dataset.sw);
  const list = root.querySelector('[data-saved-list]');
  const records = await forgetUnpublished(root, await allRecords());
  list.textContent = '';
  for (const record of records) list.appendChild(item(root, record, list));
  const status = root.querySelector('[data-offline-status]');
  if (!records.length && !status.textContent) status.textContent = texts().empty;
  root.dataset.ready = 'true';
}

const page = document.querySelector('[data-offline-page]');
if (page) {
  if (window.caches && navigator.serviceWorker) offlinePage(page);
  else page.querySelector('[data-offline-status]').textContent = texts().unsupported;
}
