/* The reading page: large-text and high-contrast modes kept in this browser (localStorage), and the reading
   beacon. An effective read needs the page visible for data-min-seconds and the end reached; then the beacon
   is sent (fetch with keepalive, or sendBeacon when the page is being hidden). The server counts one read per
   person, item and day, so sending again is harmless: a failed send is retried with a growing delay, when the
   connection comes back, and on the next visit (kept in localStorage until the server has answered). */
(function () {
  "use strict";
  var root = document.documentElement;
  var MODES = { large: "lx-large", contrast: "lx-contrast" };
  function stored(name) { try { return localStorage.getItem("learning." + name) === "1"; } catch (e) { return false; } }
  function store(name, on) { try { localStorage.setItem("learning." + name, on ? "1" : "0"); } catch (e) { /* private mode */ } }
  Object.keys(MODES).forEach(function (m) { if (stored(m)) { root.classList.add(MODES[m]); } });

  var PENDING = "learning.pending";
  function pending() { try { return JSON.parse(localStorage.getItem(PENDING) || "{}"); } catch (e) { return {}; } }
  function savePending(p) { try { localStorage.setItem(PENDING, JSON.stringify(p)); } catch (e) { /* ignore */ } }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function body(entry) {
    var data = new URLSearchParams();
    data.set("token", entry.token); data.set("seconds", String(entry.seconds)); data.set("end", "1");
    data.set("csrfmiddlewaretoken", csrf());
    return data;
  }

  function send(url, entry, onDone) {
    if (!window.fetch) { return; }
    fetch(url, { method: "POST", body: body(entry), credentials: "same-origin", keepalive: true,
                 headers: { "X-CSRFToken": csrf() } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, json: j }; }); })
      .then(function (res) { onDone(res.ok || (res.status >= 400 && res.status < 500), res.json); })
      .catch(function () { onDone(false, null); });
  }

  function resendOld() {
    var p = pending();
    Object.keys(p).forEach(function (url) {
      send(url, p[url], function (finished) { if (finished) { var q = pending(); delete q[url]; savePending(q); } });
    });
  }

  function setupModes() {
    document.querySelectorAll("button.mode").forEach(function (b) {
      var cls = MODES[b.dataset.mode];
      b.setAttribute("aria-pressed", root.classList.contains(cls) ? "true" : "false");
      b.addEventListener("click", function () {
        var on = !root.classList.contains(cls);
        root.classList.toggle(cls, on);
        store(b.dataset.mode, on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    });
  }

  function setupReading() {
    var art = document.getElementById("reading");
    if (!art || art.dataset.live !== "1") { return; }
    var url = art.dataset.beacon, need = parseInt(art.dataset.minSeconds, 10) || 0;
    var status = document.getElementById("status"), end = document.getElementById("end");
    var counted = art.dataset.counted === "1", sent = false, reached = false, seconds = 0, delay = 2000;
    var entry = { token: art.dataset.token, seconds: 0 };

    function show(key) { if (status && status.dataset[key]) { status.textContent = status.dataset[key]; } }
    function done(finished, json) {
      if (finished) {
        var p = pending(); delete p[url]; savePending(p);
        if (json && json.counted) { counted = true; show("countedText"); }
        return;
      }
      show("offlineText");
      setTimeout(trySend, delay); delay = Math.min(delay * 2, 60000);
    }
    function trySend() { entry.seconds = seconds; send(url, entry, done); }
    function ready() { return !counted && !sent && reached && seconds >= need; }
    function check() {
      if (ready()) {
        sent = true; entry.seconds = seconds;
        var p = pending(); p[url] = entry; savePending(p);
        trySend();
      }
    }
    function atEnd() {
      var r = end.getBoundingClientRect();
      return r.top <= (window.innerHeight || root.clientHeight);
    }
    if (counted) { return; }
    setInterval(function () {
      if (document.visibilityState === "visible") { seconds += 1; }
      if (!reached && atEnd()) { reached = true; }
      check();
    }, 1000);
    window.addEventListener("scroll", function () { if (!reached && atEnd()) { reached = true; check(); } },
                            { passive: true });
    window.addEventListener("online", function () { if (sent && !counted) { trySend(); } });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && sent && !counted && navigator.sendBeacon) {
        var form = new FormData(); var b = body(entry);
        b.forEach(function (v, k) { form.append(k, v); });
        navigator.sendBeacon(url, form);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setupModes(); resendOld(); setupReading(); });
})();
