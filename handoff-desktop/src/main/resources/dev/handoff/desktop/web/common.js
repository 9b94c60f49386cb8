// Shared by the desk, the wallboard and the sign-in page. Plain browser JavaScript, no build step, no third-party code.
// Server data only ever reaches the page through textContent and setAttribute, never innerHTML.
(function () {
  'use strict';
  var H = {};
  var skewMs = 0;
  var signOutAt = null;

  H.$ = function (id) { return document.getElementById(id); };

  H.el = function (tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v === undefined || v === null) { return; }
      if (k === 'text') { node.textContent = v; } else if (k === 'className') { node.className = v; } else { node.setAttribute(k, v); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  };

  H.clear = function (node) { while (node.firstChild) { node.removeChild(node.firstChild); } };

  H.pad = function (n) { return (n < 10 ? '0' : '') + n; };

  H.clock = function (iso) {
    var d = new Date(iso);
    return H.pad(d.getHours()) + ':' + H.pad(d.getMinutes()) + ':' + H.pad(d.getSeconds());
  };

  H.duration = function (seconds) {
    var s = Math.max(0, Math.round(seconds));
    if (s >= 3600) { return Math.floor(s / 3600) + 'h ' + H.pad(Math.floor((s % 3600) / 60)) + 'm'; }
    return Math.floor(s / 60) + ':' + H.pad(s % 60);
  };

  H.serverNow = function () { return Date.now() + skewMs; };
  H.setServerTime = function (iso) { if (iso) { skewMs = Date.parse(iso) - Date.now(); } };

  /** Where the page goes when the session is over; the reason waits in sessionStorage, never in the URL. */
  H.signedOut = function (reason) {
    window.sessionStorage.setItem('handoff.signout', reason || 'expired');
    window.location.assign('/signin');
  };

  H.api = function (method, path, body, options) {
    var init = { method: method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.status === 401 && !(options && options.noRedirect)) { H.signedOut('expired'); }
        if (!response.ok) {
          var e = new Error(json.error || ('HTTP ' + response.status));
          e.status = response.status;
          throw e;
        }
        return json;
      });
    });
  };

  /** A live socket that reconnects by itself; messages of the session (hello, warnings, sign-out) are handled here. */
  H.connect = function (path, onMessage) {
    var retries = 0;
    function status(kind, text) {
      var s = H.$('connection-status');
      if (s) { s.className = 'status status-' + kind; s.textContent = text; }
    }
    function open() {
      status('connecting', 'connecting…');
      var scheme = window.location.protocol === 'https:' ? 'wss://' : 'ws://';
      var socket = new WebSocket(scheme + window.location.host + path);
      socket.onopen = function () { retries = 0; status('connected', 'connected'); };
      socket.onmessage = function (event) {
        var msg = JSON.parse(event.data);
        H.setServerTime(msg.serverTime);
        if (msg.type === 'signed-out') { H.signedOut(msg.reason); return; }
        if (msg.type === 'hello' || msg.type === 'session' || msg.type === 'idle-warning') { H.idle(msg); }
        onMessage(msg);
      };
      socket.onclose = function (event) {
        if (event.code === 4401) { return; }
        status('disconnected', 'disconnected, reconnecting…');
        // a refused upgrade (signed out meanwhile) shows up as a close: the session check decides
        H.api('GET', '/api/session').then(function (me) { H.idle(me); }).catch(function () { });
        window.setTimeout(open, Math.min(5000, 250 * Math.pow(2, retries++)));
      };
    }
    open();
  };

  /** The idle logoff: the server decides; the page shows the warning it sends and counts down to the sign-out. */
  H.idle = function (msg) {
    if (msg.signOutAt) { signOutAt = Date.parse(msg.signOutAt); }
    var banner = H.$('idle-warning');
    if (!banner) { return; }
    if (msg.type === 'idle-warning') { banner.hidden = false; }
    if (msg.type === 'session') { banner.hidden = true; }
    if (msg.type === 'hello') {
      banner.hidden = !(signOutAt - H.serverNow() <= msg.idleWarningSeconds * 1000);
    }
    tickIdle();
  };

  function tickIdle() {
    var banner = H.$('idle-warning');
    if (!banner || banner.hidden || signOutAt === null) { return; }
    var left = (signOutAt - H.serverNow()) / 1000;
    H.$('idle-countdown').textContent = H.duration(left);
    H.$('idle-at').textContent = H.clock(new Date(signOutAt).toISOString());
  }

  H.wireSessionControls = function () {
    var stay = H.$('stay-button');
    if (stay) {
      stay.addEventListener('click', function () {
        H.api('POST', '/api/session/activity').then(function (me) { H.idle({ type: 'session', signOutAt: me.signOutAt }); });
      });
    }
    var out = H.$('signout-button');
    if (out) {
      out.addEventListener('click', function () {
        H.api('POST', '/api/session/sign-out').then(function () { H.signedOut('signed_out'); }, function () { H.signedOut('signed_out'); });
      });
    }
    window.setInterval(tickIdle, 250);
  };

  window.Handoff = H;
}());
