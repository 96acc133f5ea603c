"""tus uploads against the production server (`mediateka run`: gunicorn, two processes, threads).

Requests really run at the same time here, in two processes, so these tests show that one upload
has one writer at a time across processes, and that a body in chunked transfer encoding, which
gunicorn hands over without a Content-Length, is stored rather than dropped.
"""

import base64
import hashlib
import http.client
import threading
import time

import pytest

from .live_upload import SOURCE, Site, query, running_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(tmp_path_factory.mktemp("live-upload") / "data") as running:
        yield running


def _sha256(chunk: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()


def _patch(site: Site, path: str, chunk: bytes, offset: int, *, checksum: bool = False, answers=None):
    extra = {"Upload-Checksum": _sha256(chunk)} if checksum else {}
    answer = site.request(
        "PATCH",
        path,
        chunk,
        **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream", **extra},
    )
    if answers is not None:
        answers.append(answer)
    return answer


def test_a_second_writer_in_another_process_is_refused_while_the_first_is_sending(site):
    path = site.create(len(SOURCE))
    first = SOURCE[:200_000]
    slow = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
    slow.putrequest("PATCH", path)
    for name, value in site.headers(
        **{
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": str(len(first)),
            "Upload-Checksum": _sha256(first),
        }
    ).items():
        slow.putheader(name, value)
    slow.endheaders()
    slow.send(first[:100_000])  # half of the chunk; the phone's connection stalls
    deadline = time.monotonic() + 30
    while not query(site.env, "SELECT writer FROM video_upload WHERE writer <> ''"):
        assert time.monotonic() < deadline, "the first request never claimed the upload"
        time.sleep(0.05)

    # Meanwhile three more requests for the same offset, at once, with and without checksums.
    answers: list = []
    others = [
        threading.Thread(
            target=_patch,
            args=(site, path, bytes([n]) * 150_000, 0),
            kwargs={"checksum": n % 2 == 0, "answers": answers},
        )
        for n in range(3)
    ]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join(60)
    assert [status for status, _headers, _body in answers] == [423, 423, 423], answers

    slow.send(first[100_000:])
    response = slow.getresponse()
    assert response.status == 204, response.read()
    assert response.getheader("Upload-Offset") == str(len(first))
    slow.close()
    assert site.part(path) == first  # a true prefix of the file, nothing interleaved


def test_parallel_chunks_leave_one_writer_and_a_true_prefix(site):
    path = site.create(len(SOURCE))
    answers: list = []
    senders = [
        threading.Thread(
            target=_patch,
            args=(site, path, SOURCE[:250_000], 0),
            kwargs={"checksum": True, "answers": answers},
        )
        for _ in range(4)
    ]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join(60)
    statuses = sorted(status for status, _headers, _body in answers)
    # One is stored; each of the others is told another is writing (423) or that the offset moved
    # on (409): no 500, no second 204.
    assert statuses.count(204) == 1 and set(statuses) <= {204, 409, 423}, answers
    status, headers, _body = site.request("HEAD", path)
    assert (status, headers["Upload-Offset"]) == (200, "250000")
    assert site.part(path) == SOURCE[:250_000]
    assert _patch(site, path, SOURCE[250_000:], 250_000)[0] == 204
    assert site.part(path) == SOURCE


def test_a_chunk_in_chunked_transfer_encoding_is_stored(site):
    path = site.create(len(SOURCE))

    def pieces():
        for start in range(0, 300_000, 64_000):
            yield SOURCE[start : min(start + 64_000, 300_000)]

    status, headers, body = _patch(site, path, pieces(), 0)
    assert status == 204, body
    assert headers["Upload-Offset"] == "300000"
    assert site.part(path) == SOURCE[:300_000]
