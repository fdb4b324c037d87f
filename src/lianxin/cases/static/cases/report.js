/* Quick report (no framework). The photo is shrunk on the phone, the draft (fields, photo, submission key)
   is kept in IndexedDB, and a send is repeated with the same key until the server acknowledges it. */
(function () {
  'use strict';
  var form = document.getElementById('qr-form');
  if (!form || !window.fetch || !window.FormData || !window.Promise) return;
  document.documentElement.classList.add('js');
  var S = JSON.parse(document.getElementById('qr-strings').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var MAX_SIDE = 1600, QUALITY = 0.8, R = 111320, STEP_M = 10;
  var token = form.querySelector('[name=csrfmiddlewaretoken]').value;
  var user = form.getAttribute('data-user') || '';
  var photo = null, point = null, view = null, sending = false, attempt = 0, timer = null;

  function fmt(s, o) { return s.replace(/%\((\w+)\)s/g, function (m, k) { return o[k]; }); }
  function say(id, text, cls) { var el = $(id); el.textContent = text; el.className = el.className.replace(/ ?(ok|bad)\b/g, '') + (cls ? ' ' + cls : ''); return el; }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16); (window.crypto || {getRandomValues: function (x) { for (var i = 0; i < x.length; i++) x[i] = Math.random() * 256; return x; }}).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }
  function getJSON(url, opts) {
    opts = opts || {};
    var ctl = window.AbortController ? new AbortController() : null;
    var t = ctl && setTimeout(function () { ctl.abort(); }, 30000);
    opts.credentials = 'same-origin';
    opts.headers = {'Accept': 'application/json', 'X-CSRFToken': token};
    if (ctl) opts.signal = ctl.signal;
    return fetch(url, opts).then(function (r) {
      clearTimeout(t);
      return r.json().catch(function () { return {}; }).then(function (j) { return {status: r.status, ok: r.ok, body: j}; });
    }, function (e) { clearTimeout(t); throw e; });
  }

  /* ---- the draft on the phone */
  function idb(mode, fn) {
    return new Promise(function (ok) {
      if (!window.indexedDB) return ok(null);
      var rq;
      try { rq = indexedDB.open('lianxin-report', 1); } catch (e) { return ok(null); }
      rq.onupgradeneeded = function () { rq.result.createObjectStore('drafts'); };
      rq.onerror = function () { ok(null); };
      rq.onsuccess = function () {
        var db = rq.result, tx = db.transaction('drafts', mode), r = fn(tx.objectStore('drafts'));
        tx.oncomplete = function () { db.close(); ok(r && r.result); };
        tx.onerror = tx.onabort = function () { db.close(); ok(null); };
      };
    });
  }
  function kind() { var k = form.querySelector('[name=type]:checked'); return k ? k.value : 'event'; }
  function nature() { var n = form.querySelector('[name=nature]:checked'); return n ? n.value : ''; }
  function fields() {
    var cat = form.querySelector('[name=category]:checked');
    return {user: user, key: $('qr-key').value, type: kind(), nature: nature(), lng: $('qr-lng').value, lat: $('qr-lat').value,
      address: $('qr-address').value, area: $('qr-area').value, category: cat ? cat.value : '',
      description: $('qr-desc').value, consent: $('qr-consent').checked};
  }
  function saveDraft(state) {
    // While a submission is pending, a late save (a debounced keystroke, the photo) must not unmark it.
    var d = fields(); d.state = state || (sending ? 'sending' : 'editing'); d.photo = photo;
    return idb('readwrite', function (st) { return st.put(d, 'current'); });
  }
  function clearDraft() { return idb('readwrite', function (st) { return st.delete('current'); }); }
  function restore(d) {
    $('qr-key').value = d.key; $('qr-address').value = d.address || ''; $('qr-desc').value = d.description || '';
    $('qr-consent').checked = !!d.consent;
    if (d.area) { ensureOption(d.area, d.areaName || d.area); $('qr-area').value = d.area; }
    var k = d.type && form.querySelector('[name=type][value="' + d.type + '"]'); if (k) k.checked = true;
    var n = d.nature && form.querySelector('[name=nature][value="' + d.nature + '"]'); if (n) n.checked = true;
    showKind();
    var c = d.category && form.querySelector('[name=category][value="' + d.category + '"]'); if (c) c.checked = true;
    if (d.photo) { photo = d.photo; showPhoto(); }
  }

  /* ---- 1. photo, shrunk on the phone */
  function shrink(file) {
    return new Promise(function (ok, bad) {
      var url = URL.createObjectURL(file), img = new Image();
      img.onload = function () {
        var k = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight)), c = document.createElement('canvas');
        c.width = Math.max(1, Math.round(img.naturalWidth * k)); c.height = Math.max(1, Math.round(img.naturalHeight * k));
        c.getContext('2d').drawImage(img, 0, 0, c.width, c.height); URL.revokeObjectURL(url);
        c.toBlob(function (b) { if (b) ok(b); else bad(); }, 'image/jpeg', QUALITY);
      };
      img.onerror = function () { URL.revokeObjectURL(url); bad(); };
      img.src = url;
    });
  }
  function showPhoto() {
    var p = $('qr-preview'); p.src = URL.createObjectURL(photo); p.hidden = false;
    say('qr-photo-status', fmt(S.photo_ready, {kb: Math.ceil(photo.size / 1024)}));
  }
  $('qr-photo').addEventListener('change', function () {
    var f = this.files && this.files[0];
    if (!f) return;
    shrink(f).then(function (b) { photo = b; showPhoto(); saveDraft(); },
      function () { photo = null; $('qr-preview').hidden = true; say('qr-photo-status', S.photo_bad, 'bad'); });
  });

  /* ---- 2. where: geolocation, a pin on the grid boundaries, or address + area */
  var svgNS = 'http://www.w3.org/2000/svg', pin = $('qr-pin'), map = $('qr-map'), nudge = document.querySelector('.qr-nudge');
  function manual(msg) {
    $('qr-manual').hidden = false;
    if (!point) { map.style.display = 'none'; nudge.hidden = true; $('qr-coords').textContent = ''; $('qr-manual-btn').hidden = true; }
    if (msg) { $('qr-auto').hidden = false; say('qr-loc-status', msg); }
  }
  function setPoint(lng, lat) {
    point = [lng, lat];
    $('qr-lng').value = lng.toFixed(6); $('qr-lat').value = lat.toFixed(6);
    $('qr-auto').hidden = false; map.style.display = ''; nudge.hidden = false; $('qr-manual-btn').hidden = false;
    $('qr-coords').textContent = fmt(S.coords, {lng: lng.toFixed(5), lat: lat.toFixed(5)});
    pin.setAttribute('transform', '');
    getJSON(form.getAttribute('data-locate') + '?lng=' + lng + '&lat=' + lat).then(function (r) {
      var b = r.body;
      if (b.view) draw(b.view);
      if (b.grid) { say('qr-loc-status', fmt(S.located, {grid: b.grid.name}), 'ok'); }
      else { say('qr-loc-status', b.error || S.no_grid, 'bad'); $('qr-manual').hidden = false; }
    }, function () { say('qr-loc-status', ''); });
    nearby(); saveDraft();
  }
  function clearPoint() { point = null; $('qr-lng').value = ''; $('qr-lat').value = ''; hideNearby(); }
  function draw(v) {
    view = v;
    var g = $('qr-shapes'); while (g.firstChild) g.removeChild(g.firstChild);
    v.paths.forEach(function (p) {
      var el = document.createElementNS(svgNS, 'path'); el.setAttribute('d', p.d);
      el.setAttribute('class', 'grid' + (p.here ? ' here' : ''));
      var t = document.createElementNS(svgNS, 'title'); t.textContent = p.name; el.appendChild(t); g.appendChild(el);
    });
  }
  function moveBy(dx, dy) { /* metres east, north */
    if (!point) return;
    setPoint(point[0] + dx / (R * Math.cos(point[1] * Math.PI / 180)), point[1] + dy / R);
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-nudge]'), function (b) {
    b.addEventListener('click', function () { var d = b.getAttribute('data-nudge').split(','); moveBy(d[0] * STEP_M, d[1] * STEP_M); });
  });
  var drag = null;
  function svgXY(e) { var r = map.getBoundingClientRect(); return [(e.clientX - r.left) * 360 / r.width, (e.clientY - r.top) * 240 / r.height]; }
  pin.addEventListener('pointerdown', function (e) { drag = svgXY(e); pin.setPointerCapture(e.pointerId); e.preventDefault(); });
  pin.addEventListener('pointermove', function (e) {
    if (!drag) return; var p = svgXY(e); pin.setAttribute('transform', 'translate(' + (p[0] - drag[0]) + ' ' + (p[1] - drag[1]) + ')');
  });
  pin.addEventListener('pointerup', function (e) {
    if (!drag || !view) { drag = null; return; }
    var p = svgXY(e), dx = (p[0] - drag[0]) * view.mpp, dy = -(p[1] - drag[1]) * view.mpp; drag = null;
    if (Math.abs(dx) + Math.abs(dy) > 1) moveBy(dx, dy); else pin.setAttribute('transform', '');
  });
  $('qr-manual-btn').addEventListener('click', function () { clearPoint(); manual(S.denied); $('qr-address').focus(); });
  function locateMe() {
    if (!navigator.geolocation) return manual(S.denied);
    $('qr-auto').hidden = false; say('qr-loc-status', S.locating);
    navigator.geolocation.getCurrentPosition(function (p) { setPoint(p.coords.longitude, p.coords.latitude); },
      function () { if (!point) manual(S.denied); }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
  }
  function ensureOption(value, label) {
    var sel = $('qr-area');
    if (!sel.querySelector('option[value="' + value + '"]')) { var o = new Option(label, value); sel.appendChild(o); }
  }
  var gridTimer = null;
  $('qr-grid-q').addEventListener('input', function () {
    var q = this.value.trim(), box = $('qr-grid-results'); clearTimeout(gridTimer);
    if (!q) { box.textContent = ''; return; }
    gridTimer = setTimeout(function () {
      box.textContent = S.searching;
      getJSON(form.getAttribute('data-grids') + '?q=' + encodeURIComponent(q)).then(function (r) {
        box.textContent = '';
        var gs = (r.body.grids || []);
        if (!gs.length) box.textContent = S.no_match;
        gs.forEach(function (g) {
          var b = document.createElement('button'), label = g.place + ' · ' + g.name; b.type = 'button'; b.textContent = label;
          b.setAttribute('aria-pressed', String($('qr-area').value === String(g.pk)));
          b.addEventListener('click', function () {
            ensureOption(g.pk, label); $('qr-area').value = String(g.pk);
            Array.prototype.forEach.call(box.children, function (x) { x.setAttribute('aria-pressed', String(x === b)); });
            saveDraft();
          });
          box.appendChild(b);
        });
      }, function () { box.textContent = ''; });
    }, 250);
  });

  /* ---- 3. category with search */
  var cats = Array.prototype.slice.call(document.querySelectorAll('.qr-cat'));
  function filterCats() {
    var q = $('qr-cat-q').value.trim().toLowerCase(), t = kind(), shown = 0;
    cats.forEach(function (l) {
      var offered = (' ' + l.getAttribute('data-types') + ' ').indexOf(' ' + t + ' ') >= 0;
      var hit = offered && (!q || (l.getAttribute('data-q') + ' ' + l.textContent).toLowerCase().indexOf(q) >= 0);
      l.hidden = !hit; shown += hit;
      if (!offered) l.querySelector('input').checked = false;
    });
    $('qr-cat-none').hidden = shown > 0;
  }
  /* ---- 0. a problem (event) or an appeal: an appeal says its nature; the categories follow the choice */
  function showKind() {
    var appeal = kind() === 'appeal';
    $('qr-step-nature').hidden = !appeal;
    if (!appeal) Array.prototype.forEach.call(form.querySelectorAll('[name=nature]'), function (n) { n.checked = false; });
    filterCats();
  }
  $('qr-cat-q').addEventListener('input', filterCats);
  form.addEventListener('change', function (e) {
    if (e.target.name === 'type') { showKind(); nearby(); }
    if (e.target.name === 'category') nearby();
    if (e.target.id !== 'qr-photo') saveDraft();
  });
  $('qr-desc').addEventListener('input', function () { clearTimeout(this._t); this._t = setTimeout(saveDraft, 500); });
  $('qr-address').addEventListener('input', function () { clearTimeout(this._t); this._t = setTimeout(saveDraft, 500); });

  /* ---- duplicates nearby: "same problem? follow it instead" */
  function hideNearby() { var n = $('qr-nearby'); n.hidden = true; n.textContent = ''; }
  function nearby() {
    var cat = form.querySelector('[name=category]:checked');
    if (!point || !cat || kind() !== 'event') return hideNearby();  // appeals are personal: no duplicate list
    var url = form.getAttribute('data-nearby') + '?lng=' + point[0] + '&lat=' + point[1] + '&category=' + cat.value;
    getJSON(url).then(function (r) {
      var list = r.body.cases || [], box = $('qr-nearby');
      box.textContent = '';
      if (!list.length) { box.hidden = true; return; }
      var h = document.createElement('strong'); h.textContent = S.nearby_title; box.appendChild(h);
      var ul = document.createElement('ul');
      list.forEach(function (c) {
        var li = document.createElement('li'), p = document.createElement('div');
        p.textContent = c.number + ' · ' + c.title + ' · ' + c.stage_label + ' · ' + fmt(S.metres, {m: c.distance_m});
        var b = document.createElement('button'); b.type = 'button'; b.className = 'btn secondary small'; b.textContent = S.follow;
        b.addEventListener('click', function () { follow(c, b); });
        li.appendChild(p); li.appendChild(b); ul.appendChild(li);
      });
      box.appendChild(ul); box.hidden = false;
    }, function () {});
  }
  function follow(c, b) {
    var fd = new FormData(); fd.append('case', c.pk); fd.append('lng', point[0]); fd.append('lat', point[1]);
    b.disabled = true;
    getJSON(form.getAttribute('data-follow'), {method: 'POST', body: fd}).then(function (r) {
      if (r.ok) { clearDraft(); say('qr-status', fmt(S.following, {n: r.body.number}), 'ok'); linkTo(r.body.url); b.hidden = true; }
      else { b.disabled = false; say('qr-status', r.body.error || S.server_error, 'bad'); }
    }, function () { b.disabled = false; say('qr-status', S.saved_offline, 'bad'); });
  }
  function linkTo(url) {
    var a = document.createElement('a'); a.href = url; a.textContent = ' ' + S.open_case; $('qr-status').appendChild(a);
  }

  /* ---- 6. send, and send again with the same key until acknowledged */
  function body() {
    var d = fields(), fd = new FormData();
    ['key', 'type', 'nature', 'lng', 'lat', 'address', 'area', 'category', 'description'].forEach(function (k) { fd.append(k === 'key' ? 'idempotency_key' : k, d[k]); });
    if (d.consent) fd.append('consent', '1');
    if (photo) fd.append('photo', photo, 'photo.jpg');
    return fd;
  }
  function send() {
    clearTimeout(timer); sending = true; $('qr-send').disabled = true;
    if (!attempt) say('qr-status', S.sending);
    getJSON(form.action, {method: 'POST', body: body()}).then(function (r) {
      if (r.ok && r.body.number) return done(r.body);
      if (r.status >= 400 && r.status < 500) { stop(); saveDraft('editing'); say('qr-status', r.body.error || S.server_error, 'bad'); return; }
      again(S.server_error);
    }, function () { again(S.saved_offline); });
  }
  function again(msg) {
    say('qr-status', msg, 'bad'); attempt += 1;
    timer = setTimeout(send, Math.min(30000, 1000 * Math.pow(2, attempt)));
  }
  function stop() { sending = false; attempt = 0; clearTimeout(timer); $('qr-send').disabled = false; }
  function done(j) {
    stop(); clearDraft();
    say('qr-status', fmt(S.sent, {n: j.number}), 'ok'); linkTo(j.url);
    form.reset(); showKind(); photo = null; $('qr-preview').hidden = true; $('qr-photo-status').textContent = '';
    $('qr-key').value = newKey(); hideNearby();
    if (point) { $('qr-lng').value = point[0].toFixed(6); $('qr-lat').value = point[1].toFixed(6); }
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (sending) return;
    sending = true;  // from now on every save of the draft keeps it marked for sending
    saveDraft('sending').then(send);
  });
  window.addEventListener('online', function () { if (sending) { attempt = Math.max(attempt - 1, 0); send(); } });

  /* ---- start: show the script-only controls, resume an unsent draft, locate */
  Array.prototype.forEach.call(document.querySelectorAll('.qr-js'), function (el) { el.hidden = false; });
  showKind();
  $('qr-manual').hidden = true;
  idb('readonly', function (st) { return st.get('current'); }).then(function (d) {
    if (d && d.user === user && d.key) {
      restore(d);
      if (d.lng && d.lat) setPoint(parseFloat(d.lng), parseFloat(d.lat)); else if (d.area || d.address) manual(); else locateMe();
      if (d.state === 'sending') { say('qr-status', S.resumed); send(); }
    } else {
      if (!document.querySelector('.qr-error')) $('qr-key').value = newKey();
      locateMe();
    }
  });
})();
