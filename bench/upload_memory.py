"""(c) Peak resident memory of the production server (gunicorn: its master and one worker) while a 2 GB file
is uploaded in chunks through the resumable-upload endpoint, against the same server at rest.

Target: peak <= 150 MB for the whole server (master and workers). Loopback only, bounded in time.
"""

import http.client
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.live import free_port

SIZE = int(os.environ.get("BENCH_UPLOAD_BYTES", 2 * 1024**3))
CHUNK = 8 * 1024 * 1024


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) * 1024 if match else 0
        pending += [int(c) for c in children]
    return total


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, _tree_rss(self.pid))
            time.sleep(0.05)


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
        env.update(MEDIATEKA_DATA_DIR=data, MEDIATEKA_MAX_UPLOAD_BYTES=str(SIZE + 1))
        run = [sys.executable, "-m", "mediateka"]
        subprocess.run([*run, "demo", "--no-samples"], env=env, check=True, capture_output=True)
        password = Path(data, "demo-admin-password").read_text().strip()
        port = free_port()
        server = subprocess.Popen(
            [*run, "run", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(base + "/en/", timeout=2)  # noqa: S310 - our loopback server
                    break
                except OSError:
                    time.sleep(0.2)
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            opener.open(base + "/admin/login/")
            token = next(c.value for c in jar if c.name == "csrftoken")
            form = urllib.parse.urlencode(
                {"username": "admin", "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
            ).encode()
            sign_in = urllib.request.Request(  # noqa: S310 - our own loopback server
                base + "/admin/login/", data=form, headers={"Referer": base}
            )
            opener.open(sign_in)
            cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
            token = next(c.value for c in jar if c.name == "csrftoken")
            at_rest = _tree_rss(server.pid)
            sampler = Sampler(server.pid)
            sampler.start()
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            headers = {"Cookie": cookies, "X-CSRFToken": token, "Referer": base, "Tus-Resumable": "1.0.0"}
            import base64

            meta = ",".join(
                f"{k} {base64.b64encode(v.encode()).decode()}"
                for k, v in {"filename": "big.mp4", "film": "1", "language": "tg"}.items()
            )
            connection.request(
                "POST", "/upload/", headers={**headers, "Upload-Length": str(SIZE), "Upload-Metadata": meta}
            )
            created = connection.getresponse()
            created.read()
            assert created.status == 201, created.status
            path = urllib.parse.urlparse(created.getheader("Location")).path
            chunk = os.urandom(CHUNK)
            offset = 0
            while offset < SIZE:
                body = chunk[: min(CHUNK, SIZE - offset)]
                connection.request(
                    "PATCH",
                    path,
                    body=body,
                    headers={
                        **headers,
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                    },
                )
                response = connection.getresponse()
                response.read()
                if response.status not in (204, 422):  # the last chunk: random bytes are no video
                    raise RuntimeError(f"PATCH at {offset}: {response.status}")
                offset += len(body)
            elapsed = time.perf_counter() - started
            sampler.running = False
            sampler.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    mb = 1024 * 1024
    print(
        f"uploaded {SIZE / mb:.0f} MB in {CHUNK // mb} MB chunks in {elapsed:.1f} s "
        f"({SIZE / mb / elapsed:.0f} MB/s)"
    )
    print(
        f"(c) server resident memory: at rest {at_rest / mb:.0f} MB, "
        f"peak during upload {sampler.peak / mb:.0f} MB; ratio {sampler.peak / at_rest:.2f}; "
        f"target peak <= 150 MB: {'met' if sampler.peak <= 150 * mb else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
