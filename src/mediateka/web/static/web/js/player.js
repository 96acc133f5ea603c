/* Mediateka film player: native HLS, else hls.js (fetched at the first play, by browsers that need it),
   else the MP4.
   Quality and spoken language can be chosen before playing; chapters seek. Plain ES2017. */
(() => {
  'use strict';
  const root = document.querySelector('[data-player]');
  if (!root) return;
  const video = root.querySelector('video');
  const data = JSON.parse(document.getElementById('player-data').textContent);
  const quality = root.querySelector('#player-quality');
  const spoken = root.querySelector('#player-language');
  const KEY = 'mediateka.quality';
  const forced = new URLSearchParams(location.search).get('player'); // test hook
  let engine = ['native', 'hlsjs', 'mp4'].includes(forced) ? forced
    : video.canPlayType('application/vnd.apple.mpegurl') ? 'native'
      : window.MediaSource || window.ManagedMediaSource ? 'hlsjs' : 'mp4';
  let lang = root.dataset.version;
  let hls = null;
  let hlsjs = null; // the promise of the script
  let started = false;
  let startAt = 0; // where hls.js starts loading segments at the first play

  function remembered() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function remember(value) {
    try { localStorage.setItem(KEY, value); } catch (e) { /* private mode: not remembered */ }
  }

  function slowConnection() {
    const c = navigator.connection || {};
    return root.dataset.saveData === 'true' || !!c.saveData || ['slow-2g', '2g', '3g'].includes(c.effectiveType);
  }

  function available(name) {
    return name === 'auto' || name in data[lang].q;
  }

  function source() {
    const v = data[lang];
    if (engine === 'mp4') return slowConnection() && v.small ? v.small : v.mp4;
    return quality.value === 'auto' ? v.master : v.q[quality.value];
  }

  function loadHlsJs() {
    hlsjs = hlsjs || new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = root.dataset.hlsjs;
      script.onload = () => (window.Hls && window.Hls.isSupported() ? resolve(window.Hls) : reject());
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return hlsjs;
  }

  function useMp4() {
    if (hls) hls.destroy();
    hls = null;
    engine = root.dataset.engine = 'mp4';
    quality.closest('.field').hidden = true;
    load(video.currentTime || startAt, started);
  }

  // What hls.js assumes of the link before it has measured one: the browser's own estimate where it
  // gives one, else about a 256 kbit/s mobile link, so that "Automatic" starts on the lowest picture.
  function firstEstimate() {
    const c = navigator.connection || {};
    return c.downlink ? c.downlink * 1e6 * 0.8 : 200000;
  }

  // Puts the current version and quality in the element, from `time`, playing if `play`.
  function load(time, play) {
    const src = source();
    if (engine === 'hlsjs') {
      if (!started) return; // hls.js (some 120 KB) is fetched at the first press of play, not before
      loadHlsJs().then((Hls) => {
        if (hls) hls.destroy();
        hls = new Hls({
          startPosition: time > 0 ? time : -1,
          capLevelToPlayerSize: true,
          abrEwmaDefaultEstimate: firstEstimate(),
        });
        hls.on(Hls.Events.ERROR, (event, error) => { if (error.fatal) useMp4(); });
        hls.loadSource(src);
        video.preload = 'metadata';
        hls.attachMedia(video);
        if (play) video.play().catch(() => {});
      }, useMp4);
      return;
    }
    if (video.getAttribute('src') === src) return;
    if (started) video.preload = 'metadata';
    video.src = src;
    if (time > 0) video.currentTime = time; // kept as the start position until metadata arrive
    if (play) video.play().catch(() => {});
  }

  // The page names a phone-sized poster; a wider player gets a still as wide in CSS pixels (a sharp
  // phone screen is not worth ten times the bytes), else the full poster.
  function poster() {
    const v = data[lang];
    const still = v.stills.find((s) => s[0] >= video.clientWidth);
    video.poster = slowConnection() ? v.poster : still ? still[1] : v.full;
  }

  function offerQualities() {
    for (const option of quality.options) {
      option.disabled = !available(option.value);
      option.text = data[lang].t[option.value] || option.text; // with this version's megabytes
    }
    if (!available(quality.value)) quality.value = 'auto';
    root.dataset.quality = quality.value;
  }

  function swapTracks() {
    const showing = Array.from(video.textTracks).find((t) => t.mode === 'showing' && t.kind !== 'chapters');
    for (const track of video.querySelectorAll('track')) track.remove();
    for (const d of data[lang].tracks) {
      const track = document.createElement('track');
      // `default`, not `mode`: Chromium's own selection, run after the insertion, respects only that.
      const on = !!showing && showing.language === d.lang && showing.kind === d.kind;
      Object.assign(track, { kind: d.kind, src: d.src, srclang: d.lang, label: d.label, default: on });
      video.appendChild(track);
    }
  }

  function seek(time) {
    if (engine === 'hlsjs' && !hls) startAt = time;
    else video.currentTime = time;
    video.play().catch(() => {});
  }

  root.dataset.engine = engine;
  quality.value = remembered() || (slowConnection() ? (available('144p') ? '144p' : 'audio') : 'auto');
  offerQualities();
  poster();
  quality.closest('.field').hidden = engine === 'mp4';
  root.querySelector('.player-options').hidden = false;
  // hls.js plays from its own MediaSource: the element's sources go, or a press of play would start
  // the MP4 while hls.js arrives.
  if (engine === 'hlsjs') {
    for (const s of video.querySelectorAll('source')) s.remove();
    video.load(); // forgets the source the element chose while the page was read
    // Without a source the browser's controls ignore the keyboard: play on Space or Enter ourselves.
    video.addEventListener('keydown', (event) => {
      if (started || (event.key !== ' ' && event.key !== 'Enter')) return;
      event.preventDefault();
      video.play().catch(() => {});
    });
  }
  load(0, false);

  video.addEventListener('play', () => {
    if (started) return;
    started = true;
    if (engine === 'hlsjs') load(startAt, true);
  });
  video.addEventListener('error', () => {
    if (engine === 'native') useMp4();
  });

  quality.addEventListener('change', () => {
    remember(quality.value);
    root.dataset.quality = quality.value;
    load(video.currentTime, !video.paused);
  });

  if (spoken) {
    spoken.addEventListener('change', () => {
      const time = video.currentTime || startAt;
      const play = !video.paused;
      lang = root.dataset.version = spoken.value;
      for (const block of root.querySelectorAll('.player-version')) block.hidden = block.dataset.version !== lang;
      poster();
      swapTracks();
      offerQualities();
      load(time, play);
    });
  }

  for (const item of root.querySelectorAll('.chapters li')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.append(...item.childNodes);
    item.append(button);
    button.addEventListener('click', () => seek(parseFloat(item.dataset.start)));
  }
})();
