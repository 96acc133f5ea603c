"""Saving a film for offline viewing on a 1 Mbit/s link: Chromium throttled, the film page's own save.

Set-up, in a temporary data dir: `mediateka demo --no-samples`, then one film given a version that
plays: a 5-minute 640x360 clip (ffmpeg's testsrc2 and a tone) encoded with the full ladder, published
as the pipeline does; the production server (`mediateka run`, gunicorn) serves it.

Printed: for each rung the save chooser offers, the bytes a save stores per minute of film (the
sizes the film page shows, from the real files). Then, for 144p and 360p, a fresh browser context on
a link throttled to OFFLINE_SAVE_KBITS (1000) kbit/s with OFFLINE_SAVE_LATENCY_MS (100) ms opens the
film page, presses "Save for offline" and times the save to its end (the page's own clock). As the
baseline of the same run, the same context first downloads the film's small MP4 (the 144p rung as one
file, "Send to a phone") on the same link; the ratio is save time / that download's time, and the
save's time against the bytes' time at the nominal rate shows what the per-file requests cost.
"""

import os
import tempfile
from pathlib import Path

from bench.live_site import FILM, chromium, serve, throttle

KBITS = float(os.environ.get("OFFLINE_SAVE_KBITS", "1000"))
LATENCY_MS = float(os.environ.get("OFFLINE_SAVE_LATENCY_MS", "100"))
SECONDS = int(os.environ.get("OFFLINE_SAVE_SECONDS", "300"))
RUNGS = ["144p", "360p"]

SAVE = """(rung) => new Promise((resolve, reject) => {
  const root = document.querySelector('[data-save]');
  const started = performance.now();
  root.querySelector('[data-save-open]').click();
  root.querySelector(`input[name="rung-tg"][value="${rung}"]`).checked = true;
  root.querySelector('#save-form button[type=submit]').click();
  const check = setInterval(() => {
    if (root.dataset.state === 'complete') { clearInterval(check); resolve(performance.now() - started); }
    if (root.dataset.state === 'partial') { clearInterval(check); reject(new Error(root.textContent)); }
  }, 50);
})"""

DOWNLOAD = """async (url) => {
  const started = performance.now();
  const size = (await (await fetch(url, {cache: 'no-store'})).blob()).size;
  return [performance.now() - started, size];
}"""


def _throttled(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    throttle(context, page, kbits=KBITS, latency_ms=LATENCY_MS)
    return context, page


def _save(browser, url: str, rung: str) -> tuple[float, int, float, int]:
    """(save seconds, bytes the page said, small-MP4 download seconds, its bytes), in one fresh context."""
    context, page = _throttled(browser)
    try:
        page.goto(f"{url}/tg/films/{FILM}/", timeout=120_000)
        small = page.evaluate("JSON.parse(document.getElementById('player-data').textContent).tg.small")
        base_ms, base_bytes = page.evaluate(DOWNLOAD, small)
        size = int(page.get_attribute(f"input[name=rung-tg][value='{rung}']", "data-bytes"))
        saved_ms = page.evaluate(SAVE, rung)
        return saved_ms / 1000, size, base_ms / 1000, base_bytes
    finally:
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="mediateka-offline-save-") as tmp:
        server, url = serve(Path(tmp), seconds=SECONDS, width=640, height=360)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium("offline_save"), args=["--no-sandbox"]
                )
                page = browser.new_page()
                page.goto(f"{url}/tg/films/{FILM}/", timeout=120_000)  # unmeasured: the first render
                offered = {
                    box.get_attribute("value"): int(box.get_attribute("data-bytes"))
                    for box in page.query_selector_all("input[name=rung-tg]")
                }
                page.close()
                runs = {rung: _save(browser, url, rung) for rung in RUNGS}
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    minutes = SECONDS / 60
    print("bytes a save stores per minute of film (playlist, init, segments, captions, poster):")
    for rung, size in offered.items():
        print(f"  {rung:6} {size / minutes / 1e6:6.2f} MB/min   ({size / 1e6:.2f} MB for {minutes:g} min)")
    print(f"link: {KBITS:g} kbit/s, {LATENCY_MS:g} ms latency; one cold run per rung")
    for rung, (seconds, size, base_s, base_bytes) in runs.items():
        nominal = size * 8 / (KBITS * 1000)
        print(
            f"  save {rung:5} {size / 1e6:6.2f} MB in {seconds:6.1f} s ({seconds / nominal:.2f}x its bytes "
            f"at the nominal rate; {seconds / base_s:.2f}x the small MP4's download, "
            f"{base_bytes / 1e6:.2f} MB in {base_s:.1f} s)"
        )


if __name__ == "__main__":
    main()
