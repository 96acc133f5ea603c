"""First frame on a slow phone link: Chromium throttled to 256 kbit/s with 400 ms latency.

Set-up, in a temporary data dir: `mediateka demo --no-samples`, then one film given a version that
plays: a 20 s 1280x720 clip (ffmpeg's testsrc2 and a tone) encoded with the full ladder, published
as the pipeline does; the production server (`mediateka run`, gunicorn) serves it.

For each player engine (the browser's native HLS and hls.js, forced with the player's `?player=`
test hook) and, as the baseline of the same run, the progressive MP4 download, RUNS fresh browser
contexts (cold cache) each open the film page on a 360-pixel phone viewport, press play as soon as
the page has loaded, and time, in the page's own clock, the first frame painted
(requestVideoFrameCallback): press-play -> first frame and open-page -> first frame. The medians
are printed with the ratio to the MP4's. Goal (issue 15): <= 3 s and <= 6 s.

Environment: FIRST_FRAME_RUNS (5), FIRST_FRAME_KBITS (256), FIRST_FRAME_LATENCY_MS (400).
"""

import os
import statistics
import tempfile
from collections import Counter
from pathlib import Path

from bench.live_site import FILM, chromium, serve, throttle

RUNS = int(os.environ.get("FIRST_FRAME_RUNS", "5"))
KBITS = float(os.environ.get("FIRST_FRAME_KBITS", "256"))
LATENCY_MS = float(os.environ.get("FIRST_FRAME_LATENCY_MS", "400"))
ENGINES = ["native", "hlsjs", "mp4"]  # mp4: the baseline

# In the page: press play, then resolve with [play pressed, first frame] in ms since navigation began.
PLAY = """() => new Promise((resolve, reject) => {
  const video = document.querySelector('[data-player] video');
  video.muted = true;
  const pressed = performance.now();
  video.requestVideoFrameCallback((now) => resolve([pressed, now]));
  video.play().catch(() => null);
  setTimeout(() => reject(new Error('no frame after 60 s')), 60000);
})"""


def _one(browser, url: str, engine: str, play_for: float = 0) -> tuple[float, float, Counter]:
    """(press-play -> first frame, open-page -> first frame, media segments fetched by rung); with
    `play_for`, the film plays on that many seconds before the segments are counted."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    fetched: Counter = Counter()
    page.on("request", lambda request: _count_segment(fetched, request.url))
    throttle(context, page, kbits=KBITS, latency_ms=LATENCY_MS)
    try:
        page.goto(f"{url}/en/films/{FILM}/?player={engine}", timeout=120_000)
        pressed, frame = page.evaluate(PLAY)
        if play_for:
            page.wait_for_timeout(play_for * 1000)
        return (frame - pressed) / 1000, frame / 1000, fetched
    finally:
        context.close()


def _count_segment(fetched: Counter, url: str) -> None:
    parts = url.split("?")[0].split("/")
    if parts[-1].endswith(".m4s"):
        fetched[parts[-2]] += 1


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="mediateka-first-frame-") as tmp:
        server, url = serve(Path(tmp), seconds=20, width=1280, height=720)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium("first_frame"),
                    args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-quic"],
                )
                _one(browser, url, "native")  # unmeasured: the server's first render of the page
                figures = {}
                for engine in ENGINES:
                    runs = [_one(browser, url, engine) for _ in range(RUNS)]
                    figures[engine] = (
                        statistics.median(r[0] for r in runs),
                        statistics.median(r[1] for r in runs),
                    )
                # "Automatic" on the slow link: which rungs' segments 15 s of playing fetched.
                automatic = {engine: _one(browser, url, engine, play_for=15)[2] for engine in ENGINES[:2]}
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"link: {KBITS:g} kbit/s, {LATENCY_MS:g} ms latency; median of {RUNS} cold runs per engine")
    base_press, base_open = figures["mp4"]
    for engine in ENGINES:
        press, opened = figures[engine]
        print(
            f"{engine:7} press-play->first-frame {press:5.2f} s ({press / base_press:.2f}x mp4)   "
            f"open-page->first-frame {opened:5.2f} s ({opened / base_open:.2f}x mp4)"
        )
    for engine, fetched in automatic.items():
        rungs = ", ".join(f"{rung} x{count}" for rung, count in sorted(fetched.items())) or "none"
        print(f"{engine:7} Automatic, media segments fetched in the first 15 s of playing: {rungs}")


if __name__ == "__main__":
    main()
