/* Resumable upload (tus 1.0) for editors on poor connections: small chunks, each with a SHA-256
   checksum where the browser can compute it, retried with back-off, resumed from the server's
   offset even after a page reload. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var messages = JSON.parse(document.getElementById("upload-messages").textContent);
  var bar = document.getElementById("upload-progress");
  var encodeBar = document.getElementById("encode-progress");
  var statusLine = document.getElementById("upload-status");
  var next = document.getElementById("upload-next");
  var button = form.querySelector("button[type=submit]");
  var PREFIX = "mediateka.upload:";
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var chunkSize = parseInt(form.dataset.chunk, 10);

  function say(key, values, extra) {
    var text = messages[key].replace(/%\((\w+)\)s/g, function (_, name) { return values && name in values ? values[name] : ""; });
    statusLine.textContent = extra ? text + " " + extra : text;
  }
  function b64(text) { return btoa(unescape(encodeURIComponent(text))); }
  function mb(bytes) { return (bytes / 1048576).toFixed(1); }
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }
  function headers(extra) {
    var h = { "Tus-Resumable": "1.0.0", "X-CSRFToken": csrf };
    for (var k in extra) h[k] = extra[k];
    return h;
  }
  async function checksum(blob) {
    if (!(window.crypto && crypto.subtle)) return null;  // only on HTTPS or localhost
    var digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    var bytes = new Uint8Array(digest), text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return "sha256 " + btoa(text);
  }
  async function create(file) {
    var meta = ["filename " + b64(file.name), "film " + b64(form.film.value), "language " + b64(form.language.value)];
    var response = await fetch(form.dataset.endpoint, {
      method: "POST", credentials: "same-origin",
      headers: headers({ "Upload-Length": String(file.size), "Upload-Metadata": meta.join(",") })
    });
    if (response.status !== 201) throw new Error(await response.text());
    return response.headers.get("Location");
  }
  async function offsetOf(url) {
    var response = await fetch(url, { method: "HEAD", credentials: "same-origin", headers: headers({}) });
    if (!response.ok) return null;
    return parseInt(response.headers.get("Upload-Offset"), 10);
  }
  async function send(file, url, offset) {
    var delay = 1000;
    while (offset < file.size) {
      var blob = file.slice(offset, offset + chunkSize);
      try {
        var extra = { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" };
        var sum = await checksum(blob);
        if (sum) extra["Upload-Checksum"] = sum;
        var response = await fetch(url, { method: "PATCH", credentials: "same-origin", headers: headers(extra), body: blob });
        if (response.status === 204) {
          offset = parseInt(response.headers.get("Upload-Offset"), 10);
          delay = 1000;
        } else if (response.status === 409 || response.status === 460) {
          var sent = offset;
          offset = await offsetOf(url);
          if (offset === null) throw Object.assign(new Error(await response.text()), { fatal: true });
          if (response.status === 409 && offset === sent) {
            // Refused at the very offset the server gives (a web node without this upload's bytes):
            // wait before trying again rather than asking at once, and again, and again.
            say("retrying", { seconds: delay / 1000 });
            await sleep(delay);
            delay = Math.min(delay * 2, 30000);
            continue;
          }
        } else if (response.status === 423) {
          // An earlier request for this upload is still arriving (a retry overtook it): wait for it.
          say("waiting", { seconds: delay / 1000 });
          await sleep(delay);
          delay = Math.min(delay * 2, 30000);
          offset = await offsetOf(url);
          continue;
        } else {
          throw Object.assign(new Error(await response.text()), { fatal: true });
        }
        bar.value = (100 * offset) / file.size;
        say("uploading", { done: mb(offset), total: mb(file.size) });
      } catch (error) {
        if (error.fatal) throw error;
        say("retrying", { seconds: delay / 1000 });
        await sleep(delay);
        delay = Math.min(delay * 2, 30000);
        var known = await offsetOf(url).catch(function () { return null; });
        if (known !== null) offset = known;
      }
    }
  }
  // After the last byte the file is checked and stored by the server (checking), then encoded;
  // a refusal or a failed encode comes with its reason.
  async function follow(url) {
    for (;;) {
      var response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;  // the upload has expired: nothing more to tell
      var state = await response.json();
      if (state.status === "failed" || state.status === "refused") { say("failed", null, state.error); return; }
      if (state.status === "ready") { encodeBar.value = 100; say("ready"); showNext(state); return; }
      var label = state.status_label;
      if (state.status === "encoding") { encodeBar.value = state.progress; label += " " + Math.round(state.progress) + "%"; }
      say("processing", { status: label });
      await sleep(2000);
    }
  }
  function link(href, key) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = messages[key];
    return a;
  }
  function showNext(state) {
    next.replaceChildren(link(state.film_url, "see_film"), document.createTextNode(" · "), link(state.captions_url, "add_captions"));
  }
  // Uploads of the chosen film that a reload or a lost connection interrupted, from this browser's
  // memory of them; one the server has forgotten (expired) is forgotten here too.
  async function listUnfinished() {
    var box = document.getElementById("unfinished"), list = box.querySelector("ul");
    list.replaceChildren();
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key.indexOf(PREFIX) !== 0) continue;
      var parts = key.slice(PREFIX.length).split(":");
      var language = parts.pop(), film = parts.pop(), size = parts[parts.length - 2];
      if (film !== form.film.value) continue;
      var offset = await offsetOf(localStorage.getItem(key)).catch(function () { return 0; });
      if (offset === null) { localStorage.removeItem(key); i--; continue; }
      var item = document.createElement("li");
      item.textContent = parts.slice(0, -2).join(":") + " (" + language + ", " + mb(offset) + " / " + mb(size) + " MB)";
      list.appendChild(item);
    }
    box.hidden = !list.children.length;
  }
  form.film.addEventListener("change", listUnfinished);
  listUnfinished();
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var file = form.file.files[0];
    if (!file || button.disabled) return;
    button.disabled = true;
    bar.value = encodeBar.value = 0;
    next.replaceChildren();
    var key = PREFIX + [file.name, file.size, file.lastModified, form.film.value, form.language.value].join(":");
    try {
      var url = localStorage.getItem(key);
      var offset = url ? await offsetOf(url) : null;
      if (offset === null) { url = await create(file); offset = 0; localStorage.setItem(key, url); }
      else say("resuming", { done: mb(offset) });
      await send(file, url, offset);
      localStorage.removeItem(key);
      bar.value = 100;
      await follow(url);
    } catch (error) {
      say("failed", null, error.message);
    } finally {
      button.disabled = false;
      listUnfinished();
    }
  });
})();
