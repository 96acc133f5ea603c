/* "Send to a phone": shares the film's small MP4 (its lowest picture with sound) through the phone's
   own share sheet, to a messenger, where the browser can share files; else its link. Browsers
   without the Web Share API keep the button hidden: the page's "small copy" download is there. */
(() => {
  'use strict';
  const button = document.querySelector('[data-send]');
  const player = document.querySelector('[data-player]');
  if (!button || !player || !navigator.share) return;
  const data = JSON.parse(document.getElementById('player-data').textContent);
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const lang = player.dataset.version;
    const small = data[lang] && data[lang].small;
    const shared = { title: button.dataset.title, url: button.dataset.url };
    button.disabled = true;
    try {
      if (small && navigator.canShare) {
        button.textContent = button.dataset.preparing;
        const blob = await (await fetch(small)).blob();
        const file = new File([blob], `${button.dataset.name}-${lang}.mp4`, { type: 'video/mp4' });
        if (navigator.canShare({ files: [file] })) {
          delete shared.url; // the file is the message; a link beside it would be sent twice
          shared.files = [file];
        }
      }
      await navigator.share(shared);
    } catch (e) {
      /* the person closed the share sheet, or the file could not be fetched: nothing was sent */
    } finally {
      button.textContent = label;
      button.disabled = false;
    }
  });
})();
