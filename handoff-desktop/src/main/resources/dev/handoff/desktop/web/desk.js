// The agent desk: handoffs pushed whisper first, opened on demand (the server redeems the ticket through core), chat
// offers to accept or decline, the two-way chat relay, commitments with a countdown each, hand-back with a note,
// feedback on the handoff.
(function () {
  'use strict';
  var H = window.Handoff;
  var $ = H.$, el = H.el, clear = H.clear;
  var SVG = 'http://www.w3.org/2000/svg';
  var state = { me: null, handoffs: new Map(), offers: new Map(), currentId: null };

  function current() { return state.currentId ? state.handoffs.get(state.currentId) : null; }

  function handoffFor(contextId) {
    var h = state.handoffs.get(contextId);
    if (!h) {
      h = { contextId: contextId, notice: null, view: null, turns: new Map(), commitments: new Map(), read: null, live: false };
      state.handoffs.set(contextId, h);
    }
    return h;
  }

  function onMessage(msg) {
    switch (msg.type) {
      case 'hello':
        state.me = msg.agent;
        $('agent-name').textContent = msg.agent.name + (msg.agent.role === 'SUPERVISOR' ? ' (supervisor)' : '');
        break;
      case 'handoff': onHandoff(msg); break;
      case 'phase': onPhase(msg); break;
      case 'turn': onTurn(msg.contextId, msg.turn); break;
      case 'commitment': onCommitment(msg.contextId, msg.commitment); break;
      case 'read': onRead(msg.contextId, { agentId: msg.agentId, readAt: msg.readAt }); break;
      case 'handoff-gone': onGone(msg); break;
      case 'offer': state.offers.set(msg.offerId, msg); renderOffers(); break;
      case 'offer-withdrawn':
        if (state.offers.delete(msg.offerId)) { renderOffers(); $('desk-error').textContent = 'An offered chat was withdrawn: ' + msg.reason + '.'; }
        break;
      default: break;
    }
  }

  function onHandoff(msg) {
    var h = handoffFor(msg.contextId);
    h.notice = msg;
    if (!state.currentId || !state.handoffs.get(state.currentId).notice) { state.currentId = msg.contextId; }
    renderList();
    if (h.contextId === state.currentId) { renderCurrent(); }
  }

  function onPhase(msg) {
    var h = handoffFor(msg.contextId);
    if (!h.notice) { return; }
    ['label', 'phase', 'acceptedBy', 'ended', 'canAct', 'canWrite', 'target'].forEach(function (k) { h.notice[k] = msg[k]; });
    if (h.view) { ['phase', 'acceptedBy', 'ended', 'canAct', 'canWrite'].forEach(function (k) { h.view[k] = msg[k]; }); }
    renderList();
    if (h.contextId === state.currentId) { renderCurrent(); }
  }

  function onGone(msg) {
    if (!state.handoffs.delete(msg.contextId)) { return; }
    if (state.currentId === msg.contextId) {
      var next = Array.from(state.handoffs.values()).filter(function (x) { return x.notice; }).pop();
      state.currentId = next ? next.contextId : null;
      $('desk-error').textContent = 'A handoff left your desk: ' + msg.reason + '.';
    }
    renderList();
    renderCurrent();
  }

  function open(h) {
    $('desk-error').textContent = '';
    return H.api('POST', '/api/handoffs/' + encodeURIComponent(h.contextId) + '/open').then(function (view) {
      H.setServerTime(view.serverTime);
      h.view = view;
      view.context.transcript.forEach(function (t) { mergeTurn(h, t); });
      view.liveTurns.forEach(function (t) { mergeTurn(h, t); });
      view.commitments.forEach(function (c) { h.commitments.set(c.id, c); });
      if (view.read) { h.read = view.read; }
      if (h.contextId === state.currentId) { renderCurrent(); }
    }).catch(function (e) { $('desk-error').textContent = 'Could not open the conversation: ' + e.message; });
  }

  function mergeTurn(h, t) {
    var index = t.index || 0;
    h.turns.set(index, { index: index, speaker: t.speaker, text: t.text, timestamp: t.timestamp, partial: !!t.partial });
  }

  function onTurn(contextId, turn) {
    var h = handoffFor(contextId);
    mergeTurn(h, turn);
    h.live = true;
    if (contextId === state.currentId && h.view) { renderTranscript(h, turn.index || 0); }
  }

  function onCommitment(contextId, c) {
    var h = handoffFor(contextId);
    h.commitments.set(c.id, c);
    if (contextId === state.currentId && h.view) { renderCommitments(h); }
  }

  function onRead(contextId, receipt) {
    var h = handoffFor(contextId);
    h.read = receipt;
    if (contextId === state.currentId) { renderRead(h); }
  }

  // ---- offers ----

  function renderOffers() {
    var box = $('offers');
    clear(box);
    box.hidden = state.offers.size === 0;
    state.offers.forEach(function (o) {
      var accept = el('button', { type: 'button', className: 'btn btn-primary', 'data-testid': 'offer-accept', text: 'Accept' });
      var decline = el('button', { type: 'button', className: 'btn', 'data-testid': 'offer-decline', text: 'Decline' });
      accept.addEventListener('click', function () { answer(o, 'accept'); });
      decline.addEventListener('click', function () { answer(o, 'decline'); });
      box.appendChild(el('div', { className: 'offer', 'data-testid': 'offer', 'data-offer-id': o.offerId }, [
        el('div', { className: 'offer-head' }, [
          el('strong', { text: 'Chat for you: ' + o.label }),
          el('span', { className: 'muted', text: ' from queue ' + o.queue })
        ]),
        o.whisper ? el('div', { className: 'offer-goal', 'data-testid': 'offer-goal', text: o.whisper.goal }) : null,
        o.preview ? el('blockquote', { className: 'preview', text: o.preview.text }) : null,
        el('div', { className: 'offer-actions' }, [accept, decline])
      ]));
    });
  }

  function answer(o, verb) {
    state.offers.delete(o.offerId);
    renderOffers();
    H.api('POST', '/api/offers/' + encodeURIComponent(o.offerId) + '/' + verb).then(function (r) {
      if (verb === 'accept') {
        var h = handoffFor(r.contextId);
        state.currentId = r.contextId;
        renderList();
        renderCurrent();
        open(h);
      }
    }).catch(function (e) { $('desk-error').textContent = 'Could not ' + verb + ' the chat: ' + e.message; });
  }

  // ---- rendering ----

  function renderList() {
    var list = $('handoff-list');
    clear(list);
    state.handoffs.forEach(function (h) {
      if (!h.notice) { return; }
      var item = el('li', {
        className: (h.contextId === state.currentId ? 'current ' : '') + (h.notice.ended ? 'ended' : ''),
        'data-context-id': h.contextId, 'data-testid': 'handoff-item', title: 'session ' + h.notice.sessionId
      }, [el('button', { type: 'button', text: h.notice.label })]);
      item.addEventListener('click', function () { state.currentId = h.contextId; renderList(); renderCurrent(); });
      list.appendChild(item);
    });
  }

  function renderCurrent() {
    var h = current();
    var showing = !!(h && h.notice);
    $('empty-state').hidden = showing;
    $('desk').hidden = !showing;
    if (!showing) { return; }
    var n = h.notice;
    var priority = $('notification-priority');
    priority.textContent = n.escalation.priority + (n.escalation.silentAlarm ? ' · SILENT ALARM' : '');
    priority.className = 'pill ' + n.escalation.priority + (n.escalation.silentAlarm ? ' alarm' : '');
    $('handoff-label').textContent = n.label;
    $('handoff-label').setAttribute('title', 'session ' + n.sessionId);
    $('notification-target').textContent = n.target ? n.target.id : '';
    $('handoff-phase').textContent = phaseText(n);
    var reasons = $('escalation-reason');
    clear(reasons);
    n.escalation.reasons.forEach(function (r) {
      reasons.appendChild(el('li', {}, [el('span', { className: 'kind', text: r.kind.replace(/_/g, ' ') }), el('span', { text: r.detail })]));
    });
    $('preview').textContent = n.preview.text;
    $('whisper-goal').textContent = n.whisper.goal;
    $('whisper-obstacle').textContent = n.whisper.obstacle;
    $('whisper-sentiment').textContent = n.whisper.sentiment;
    $('whisper-opening').textContent = n.whisper.suggestedOpening;
    $('open-button').hidden = !!h.view;
    $('read-button').hidden = !h.view || !n.canAct;
    var tone = h.view && h.view.context.tone;
    $('tone-guidance').textContent = tone && tone.guidance ? 'Tone: ' + tone.guidance : '';
    renderRead(h);
    $('details').hidden = !h.view;
    if (!h.view) { return; }
    renderTranscript(h, null);
    renderComposer(h);
    renderSentiment(h);
    renderCommitments(h);
    renderCustomer(h);
  }

  function phaseText(n) {
    if (n.ended) { return '· ' + n.ended; }
    if (n.acceptedBy) { return '· with ' + (state.me && n.acceptedBy === state.me.id ? 'you' : n.acceptedBy); }
    return '· ' + String(n.phase || '').toLowerCase().replace(/_/g, ' ');
  }

  function renderRead(h) {
    var button = $('read-button');
    if (h.read) {
      button.disabled = true;
      $('read-status').textContent = 'Read by ' + h.read.agentId + ' at ' + H.clock(h.read.readAt);
    } else {
      button.disabled = false;
      $('read-status').textContent = '';
    }
  }

  function renderTranscript(h, freshIndex) {
    var list = $('transcript');
    clear(list);
    var triggerIndex = h.notice ? h.notice.preview.index : -1;
    Array.from(h.turns.values()).sort(function (a, b) { return a.index - b.index; }).forEach(function (t) {
      var cls = 'speaker-' + t.speaker + (t.partial ? ' partial' : '') + (t.index === triggerIndex ? ' trigger' : '')
        + (t.index === freshIndex ? ' fresh' : '');
      list.appendChild(el('li', { className: cls, 'data-testid': 'turn', 'data-index': String(t.index) }, [
        el('time', { className: 'turn-time', datetime: t.timestamp, 'data-testid': 'turn-time', text: H.clock(t.timestamp) }),
        el('span', { className: 'turn-speaker', 'data-testid': 'turn-speaker', text: speaker(t.speaker) }),
        el('span', { className: 'turn-text', 'data-testid': 'turn-text', text: t.text })
      ]));
    });
    $('live-indicator').hidden = !h.live;
    if (freshIndex !== null) { list.scrollTop = list.scrollHeight; }
  }

  function speaker(s) {
    return { CUSTOMER: 'Customer', AI: 'AI', AGENT: 'Agent', SYSTEM: 'Note' }[s] || s;
  }

  function renderComposer(h) {
    $('composer').hidden = !h.notice.canWrite;
    var connected = h.notice.phase === 'CONNECTED' || h.notice.phase === 'VERIFIED';
    $('handback-card').hidden = !(h.notice.canAct && connected && !h.notice.ended
      && (!h.notice.acceptedBy || (state.me && h.notice.acceptedBy === state.me.id)));
    // feedback: the agent who had it (or any agent of its queue), also once it ended; never a supervisor
    $('feedback-card').hidden = !(state.me && state.me.role !== 'SUPERVISOR'
      && (!h.notice.acceptedBy || h.notice.acceptedBy === state.me.id));
    $('feedback-status').textContent = h.feedbackGiven ? 'Feedback sent. Thank you.' : '';
  }

  function renderSentiment(h) {
    $('sentiment-label').textContent = h.notice.sentimentLabel;
    var svg = $('sentiment-chart');
    clear(svg);
    var facts = $('sentiment-facts');
    clear(facts);
    var s = h.view.context.sentiment;
    var width = 340, height = 150, left = 34, right = 12, top = 10, bottom = 22;
    function y(score) { return top + (1 - (score + 1) / 2) * (height - top - bottom); }
    [1, 0, -1].forEach(function (v) {
      svg.appendChild(svgEl('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), 'class': 'grid' }));
      svg.appendChild(svgEl('text', { x: left - 6, y: y(v) + 4, 'class': 'axis-text', 'text-anchor': 'end', 'data-testid': 'axis-label' },
        (v > 0 ? '+' : '') + v));
    });
    var points = s.series || [];
    var step = points.length > 1 ? (width - left - right) / (points.length - 1) : 0;
    var coords = points.map(function (p, i) { return [left + (points.length > 1 ? i * step : (width - left - right) / 2), y(p.score)]; });
    if (coords.length > 0) {
      svg.appendChild(svgEl('polyline', {
        points: coords.map(function (c) { return c[0].toFixed(1) + ',' + c[1].toFixed(1); }).join(' '),
        'class': 'line ' + s.trend, 'data-testid': 'sentiment-line'
      }));
      coords.forEach(function (c, i) {
        var dot = svgEl('circle', { cx: c[0], cy: c[1], r: 4, 'class': 'dot ' + s.trend, 'data-testid': 'sentiment-point' });
        dot.appendChild(svgEl('title', {}, 'turn ' + (points[i].turnIndex || 0) + ': ' + points[i].score));
        svg.appendChild(dot);
        var anchor = coords.length > 1 && i === 0 ? 'start' : coords.length > 1 && i === coords.length - 1 ? 'end' : 'middle';
        svg.appendChild(svgEl('text', { x: c[0], y: height - 5, 'class': 'axis-text', 'text-anchor': anchor, 'data-testid': 'axis-label' },
          'turn ' + (points[i].turnIndex || 0)));
      });
    }
    ['velocity ' + (s.velocity >= 0 ? '+' : '') + Number(s.velocity).toFixed(2) + ' per turn', s.trend.toLowerCase(),
      'urgency ' + s.urgency.toLowerCase(), 'trust ' + s.trust.toLowerCase()].concat(s.markers || [])
      .forEach(function (f) { facts.appendChild(el('span', { className: 'chip', text: f })); });
  }

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderCommitments(h) {
    var list = $('commitments');
    clear(list);
    var commitments = Array.from(h.commitments.values()).sort(function (a, b) { return (a.turnIndex || 0) - (b.turnIndex || 0); });
    $('commitments-card').hidden = commitments.length === 0;
    commitments.forEach(function (c) {
      var value = el('div', { className: 'commitment-value', 'data-testid': 'commitment-value' });
      if (c.status === 'CORRECTED') {
        value.appendChild(el('span', { className: 'was', text: c.value || '' }));
        value.appendChild(el('span', { className: 'muted', text: ' \u2192 ' }));
        value.appendChild(el('strong', { 'data-testid': 'commitment-corrected-value', text: c.correctedValue }));
      } else if (c.value) {
        value.appendChild(el('strong', { text: c.value }));
      }
      var pending = c.status === 'PENDING_VERIFICATION';
      var item = el('li', { className: 'commitment ' + c.status, 'data-testid': 'commitment', 'data-commitment-id': c.id, 'data-status': c.status }, [
        el('div', { className: 'commitment-head' }, [
          el('span', { className: 'commitment-kind', text: c.kind.replace(/_/g, ' ').toLowerCase() }),
          el('span', { className: 'muted', text: c.strength.toLowerCase() + ' promise · turn ' + (c.turnIndex || 0) }),
          el('span', { className: 'commitment-status', 'data-testid': 'commitment-status',
            text: pending ? 'TO VERIFY' : c.status + (c.verifiedBy ? ' by ' + c.verifiedBy : '') })
        ]),
        el('div', { className: 'commitment-text', 'data-testid': 'commitment-text', text: '\u201C' + c.text + '\u201D' }),
        value,
        pending ? el('div', { className: 'countdown', 'data-testid': 'commitment-countdown', 'data-verify-by': c.verifyBy || '',
          'data-overdue': c.overdue ? 'true' : 'false' }) : null
      ]);
      if (pending && h.notice.canAct) {
        var input = el('input', { type: 'text', 'data-testid': 'commitment-correct-value', placeholder: 'new value', maxlength: '200',
          'aria-label': 'Corrected value for ' + c.id });
        var confirm = el('button', { type: 'button', className: 'btn btn-confirm', 'data-testid': 'commitment-confirm', text: 'Confirm' });
        var correct = el('button', { type: 'button', className: 'btn', 'data-testid': 'commitment-correct', text: 'Correct' });
        var revoke = el('button', { type: 'button', className: 'btn btn-revoke', 'data-testid': 'commitment-revoke', text: 'Revoke' });
        confirm.addEventListener('click', function () { verify(h, c.id, { action: 'CONFIRM' }); });
        revoke.addEventListener('click', function () { verify(h, c.id, { action: 'REVOKE' }); });
        correct.addEventListener('click', function () {
          if (!input.value.trim()) { $('commitment-error').textContent = 'Enter the corrected value first.'; input.focus(); return; }
          verify(h, c.id, { action: 'CORRECT', value: input.value.trim() });
        });
        item.appendChild(el('div', { className: 'commitment-actions' }, [confirm, input, correct, revoke]));
      }
      list.appendChild(item);
    });
    tick();
  }

  function verify(h, commitmentId, body) {
    $('commitment-error').textContent = '';
    H.api('POST', '/api/handoffs/' + encodeURIComponent(h.contextId) + '/commitments/' + encodeURIComponent(commitmentId), body)
      .then(function (updated) { onCommitment(h.contextId, updated); })
      .catch(function (e) { $('commitment-error').textContent = e.message; });
  }

  function renderCustomer(h) {
    var ctx = h.view.context;
    var customer = $('customer'), crm = $('crm-profile'), interactions = $('crm-interactions'), bant = $('bant'), pains = $('pain-points');
    [customer, crm, interactions, bant, pains].forEach(clear);
    var c = ctx.customer || {};
    if (c.customerId) { kv(customer, 'customer id', c.customerId); }
    Object.keys(c.accountIds || {}).forEach(function (k) { kv(customer, k + ' account', c.accountIds[k]); });
    Object.keys(c.fields || {}).forEach(function (k) { kv(customer, k, c.fields[k]); });
    if ((c.previousContacts || []).length) {
      kv(customer, 'contacted before', c.previousContacts.length + ' time(s), last ' + new Date(c.previousContacts[c.previousContacts.length - 1]).toLocaleString());
    }
    $('customer-card').hidden = !customer.firstChild;
    var p = ctx.crmProfile;
    $('crm-card').hidden = !p;
    $('crm-system').textContent = p ? p.system + ' · ' + p.recordId : '';
    if (p) {
      if (p.displayName) { kv(crm, 'name', p.displayName); }
      Object.keys(p.attributes || {}).forEach(function (k) { kv(crm, k, p.attributes[k]); });
      (p.interactions || []).forEach(function (i) {
        interactions.appendChild(el('li', { 'data-testid': 'crm-interaction' }, [
          el('span', { className: 'muted', text: new Date(i.at).toLocaleDateString() + (i.channel ? ' · ' + i.channel : '') + ' · ' }),
          el('span', { text: (i.summary || '') + (i.outcome ? ' (' + i.outcome + ')' : '') })
        ]));
      });
    }
    $('crm-history').hidden = !interactions.firstChild;
    var ledger = ctx.semanticLedger || {};
    var b = ledger.bant || {};
    if (b.budget) { kv(bant, 'budget', b.budget.text); }
    if (b.authority) { kv(bant, 'authority', b.authority); }
    if (b.need) { kv(bant, 'need', b.need); }
    if (b.timeline) { kv(bant, 'timeline', b.timeline); }
    (ledger.painPoints || []).forEach(function (pp) { pains.appendChild(el('li', { text: pp })); });
    $('bant-card').hidden = !bant.firstChild && !pains.firstChild;
  }

  function kv(dl, key, value) {
    dl.appendChild(el('dt', { text: key }));
    dl.appendChild(el('dd', { text: value }));
  }

  // ---- per-commitment countdown, from when this agent opened the handoff ----

  function tick() {
    document.querySelectorAll('[data-testid=commitment-countdown]').forEach(function (out) {
      var by = out.getAttribute('data-verify-by');
      if (out.getAttribute('data-overdue') === 'true') {
        out.textContent = 'overdue: not verified in time';
        out.className = 'countdown overdue';
        return;
      }
      if (!by) { out.textContent = ''; return; }
      var left = Math.round((Date.parse(by) - H.serverNow()) / 1000);
      out.textContent = left > 0 ? H.duration(left) + ' left to verify' : 'verification overdue';
      out.className = 'countdown' + (left > 0 ? '' : ' overdue');
    });
  }

  // ---- actions ----

  $('open-button').addEventListener('click', function () { var h = current(); if (h) { open(h); } });

  $('read-button').addEventListener('click', function () {
    var h = current();
    if (!h) { return; }
    $('read-button').disabled = true;
    H.api('POST', '/api/handoffs/' + encodeURIComponent(h.contextId) + '/read').catch(function (e) {
      $('read-button').disabled = false;
      $('read-status').textContent = 'Could not confirm: ' + e.message;
    });
  });

  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var h = current();
    var box = $('message');
    var text = box.value.trim();
    if (!h || !text) { return; }
    $('send-button').disabled = true;
    H.api('POST', '/api/handoffs/' + encodeURIComponent(h.contextId) + '/messages', { text: text }).then(function (turn) {
      box.value = '';
      onTurn(h.contextId, turn);
    }).catch(function (e) { $('desk-error').textContent = 'Not sent: ' + e.message; })
      .then(function () { $('send-button').disabled = false; box.focus(); });
  });

  $('message').addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); $('send-button').click(); }
  });

  $('handback-button').addEventListener('click', function () {
    var h = current();
    if (!h) { return; }
    $('handback-button').disabled = true;
    H.api('POST', '/api/handoffs/' + encodeURIComponent(h.contextId) + '/hand-back', { note: $('handback-note').value })
      .then(function () { $('handback-note').value = ''; })
      .catch(function (e) { $('desk-error').textContent = 'Could not hand back: ' + e.message; })
      .then(function () { $('handback-button').disabled = false; });
  });

  $('feedback-button').addEventListener('click', function () {
    var h = current();
    if (!h) { return; }
    var whisper = {};
    document.querySelectorAll('[data-testid=feedback-wrong]').forEach(function (box) {
      whisper[box.value] = box.checked ? 'INACCURATE' : 'ACCURATE';
    });
    var body = { escalation: $('feedback-escalation').value, whisper: whisper, resolved: $('feedback-resolved').checked };
    if ($('feedback-effort').value) { body.customerEffort = Number($('feedback-effort').value); }
    $('feedback-button').disabled = true;
    H.api('POST', '/api/handoffs/' + encodeURIComponent(h.contextId) + '/feedback', body).then(function (r) {
      h.feedbackGiven = true;
      r.commitments.forEach(function (c) { h.commitments.set(c.id, c); });
      $('feedback-status').textContent = 'Feedback sent. Thank you.';
    }).catch(function (e) { $('feedback-status').textContent = 'Not sent: ' + e.message; })
      .then(function () { $('feedback-button').disabled = false; });
  });

  H.wireSessionControls();
  window.setInterval(tick, 250);
  H.connect('/ws', onMessage);
}());
