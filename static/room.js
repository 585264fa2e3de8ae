/* The room: every screen of a reading follows its stream (Server-Sent Events) and redraws the
   paragraph under negotiation, its neighbours, the count agreed and the queue for the floor.
   Forms marked data-room-form are sent in the background; without this script they reload the page.
   Text is always set with textContent: nothing received is parsed as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var browsing = root.dataset.browsing === "1";
  var chair = root.dataset.chair === "1";
  var lastId = root.dataset.after || "";
  var source = null, lostTimer = null, ended = false, dirty = false, shown = null;

  function setText(id, value) { var el = $(id); if (el) el.textContent = value == null ? "" : String(value); }

  // Text in the typists' form, each footnote reference ("[^3]") a superscript number.
  function noted(el, text) {
    var parts = String(text).split(/\[\^(\d{1,4})\]/);
    parts.forEach(function (part, i) {
      if (i % 2) {
        var sup = document.createElement("sup");
        sup.className = "fn-ref";
        sup.textContent = part;
        el.appendChild(sup);
      } else if (part) {
        el.appendChild(document.createTextNode(part));
      }
    });
  }

  function words(el, p) {
    if (!el) return;
    el.textContent = "";
    if (!p) return;
    if (p.number) {
      var num = document.createElement("span");
      num.className = "num";
      num.textContent = p.number;
      el.appendChild(num);
      el.appendChild(document.createTextNode(" "));
    }
    if (p.pieces && p.pieces.length) {  // [words, italic, attribution after them]
      p.pieces.forEach(function (piece) {
        var part = document.createElement(piece[1] ? "em" : "span");
        noted(part, piece[0]);
        el.appendChild(part);
        if (piece[2]) {
          var who = document.createElement("span");
          who.className = "attribution";
          who.textContent = piece[2];
          el.appendChild(document.createTextNode(" "));
          el.appendChild(who);
        }
      });
      return;
    }
    var chars = Array.from(p.text);
    if (p.italic_chars) {
      var em = document.createElement("em");
      noted(em, chars.slice(0, p.italic_chars).join(""));
      el.appendChild(em);
    }
    noted(el, chars.slice(p.italic_chars || 0).join(""));
  }

  function neighbour(id, p) {
    var el = $(id);
    if (!el) return;
    el.textContent = "";
    if (!p) return;
    var ref = document.createElement("span");
    ref.className = "ref";
    ref.textContent = p.ref;
    var body = document.createElement("span");
    body.className = "words";
    words(body, p);
    el.appendChild(ref);
    el.appendChild(document.createTextNode(" "));
    el.appendChild(body);
  }

  function smallForm(action, label) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = action;
    form.className = "inline";
    form.setAttribute("data-room-form", "");
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrf;
    var button = document.createElement("button");
    button.className = "button small";
    button.textContent = label;
    form.appendChild(token);
    form.appendChild(button);
    return form;
  }

  function queue(items) {
    var list = $("room-queue");
    if (!list) return;
    list.textContent = "";
    items.forEach(function (q) {
      var li = document.createElement("li");
      if (q.speaking) li.className = "speaking";
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = q.delegation;
      var hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = q.ref + ", " + q.state;
      li.appendChild(who);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(hint);
      if (chair) {
        if (!q.speaking) li.appendChild(smallForm(root.dataset.floor + q.id + "/give", "Give the floor"));
        li.appendChild(smallForm(root.dataset.floor + q.id + "/clear", "Clear"));
      }
      list.appendChild(li);
    });
    var empty = $("room-queue-empty");
    if (empty) empty.hidden = items.length > 0;
  }

  function typing(cur) {
    var box = $("type-text");
    if (!box || !cur) return;
    var moved = $("type-paragraph").value !== String(cur.paragraph_id);
    if (!dirty) {
      box.value = cur.text;
      $("type-version").value = cur.version;
      $("type-paragraph").value = cur.paragraph_id;
      if (moved) setText("type-saved", "");  // "Saved." stays until the chair moves on
    } else if (moved) {
      setText("type-saved", "The chair has moved on to " + cur.ref + ": your text is for another paragraph.");
    } else if ($("type-version").value !== String(cur.version)) {
      setText("type-saved", "Someone else changed this paragraph; saving will show both texts.");
    }
  }

  function closedReading() {
    var note = $("room-closed");
    if (note) note.hidden = false;
    document.querySelectorAll("form[data-room-form] button").forEach(function (b) { b.disabled = true; });
  }

  function apply(state) {
    var cur = state.current;
    setText("room-live-ref", cur ? cur.ref : "");
    if (!browsing) {
      setText("room-ref", cur ? cur.ref : "");
      setText("room-zero-ref", cur && cur.zero_ref ? "(" + cur.zero_ref + " in the zero draft)" : "");
      setText("room-status", cur ? (cur.mark || cur.status) : "");
      words($("room-text"), cur);
      if ($("room-text")) $("room-text").className = "focus-text " + (cur ? cur.length : "");
      setText("room-note", cur ? cur.note : "");
      setText("room-position", state.position);
    }
    neighbour("room-prev", state.previous);
    neighbour("room-next", state.next);
    setText("room-agreed", state.agreed);
    queue(state.queue);
    if (cur && $("mark-paragraph")) {
      $("mark-paragraph").value = cur.paragraph_id;
      $("mark-version").value = cur.version;
    }
    typing(cur);
    var passages = $("room-passages");
    if (passages && cur) {  // its forms name the passages as they were: a changed paragraph needs a fresh page
      $("room-passages-stale").hidden =
        passages.dataset.paragraph === String(cur.paragraph_id) && passages.dataset.version === String(cur.version);
    }
    document.querySelectorAll("#room-paragraphs li").forEach(function (li) {
      li.classList.toggle("current", !!cur && li.dataset.pid === String(cur.paragraph_id));
    });
    if (!state.reading.open) closedReading();
    shown = state;
  }

  function log(d) {
    var list = $("room-log");
    if (!list || !d.line) return;
    var li = document.createElement("li");
    var at = document.createElement("span");
    at.className = "hint";
    at.textContent = d.at + " ";
    li.appendChild(at);
    li.appendChild(document.createTextNode(d.line));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 50) list.removeChild(list.lastChild);
  }

  function status(message) {
    var el = $("room-connection");
    if (!el) return;
    el.textContent = message;
    el.hidden = !message;
  }

  function connected() {
    clearTimeout(lostTimer);
    lostTimer = null;
    status("");
  }

  function lost() {
    // a stream ends every 25 s and is reopened at once: only a gap that lasts is a lost connection
    if (!lostTimer) lostTimer = setTimeout(function () { status("Connection lost, reconnecting…"); }, 1500);
  }

  function connect() {
    if (!window.EventSource || ended) return;
    source = new EventSource(root.dataset.stream + "?after=" + encodeURIComponent(lastId));
    source.onopen = connected;
    source.addEventListener("room", function (e) {
      lastId = e.lastEventId || lastId;
      var d = JSON.parse(e.data);
      log(d);
      if (d.state) apply(d.state);
      connected();
    });
    source.addEventListener("closed", function () {
      ended = true;
      source.close();
      connected();
      closedReading();
    });
    source.addEventListener("gone", function () {
      ended = true;
      source.close();
      status("You can no longer follow this reading. Reload the page.");
    });
    source.onerror = function () {
      if (ended) return;
      lost();
      if (source.readyState === EventSource.CLOSED) {  // refused outright (a 503): try again, from where it was
        setTimeout(connect, 2000);
      }
    };
  }

  function showError(form, message) {
    var p = form.querySelector(".field-error.room-error");
    if (!p) {
      p = document.createElement("p");
      p.className = "field-error room-error";
      p.setAttribute("role", "alert");
      form.appendChild(p);
    }
    p.textContent = message || "";
    p.hidden = !message;
  }

  function sent(form, d) {
    showError(form, "");
    if (form.id === "room-type") {
      dirty = false;
      $("type-version").value = d.version;
      var box = $("room-conflict");
      if (box) box.hidden = true;
      setText("type-saved", "Saved.");
    }
    var to = form.querySelector("input[name=to]");
    if (to) to.value = "";
  }

  function conflict(form, d) {
    showError(form, d.error);
    var box = $("room-conflict");
    if (box) {
      box.textContent = "";
      var p = document.createElement("p");
      p.textContent = "Saved now: ";
      var theirs = document.createElement("p");
      theirs.className = "focus-text";
      theirs.textContent = d.current_text;
      var hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = "Saving again replaces it with your text.";
      box.appendChild(p);
      box.appendChild(theirs);
      box.appendChild(hint);
      box.hidden = false;
    }
    if (d.current_version != null) $("type-version").value = d.current_version;
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-room-form") || !window.fetch) return;
    e.preventDefault();
    var body = new FormData(form);
    if (e.submitter && e.submitter.name) body.append(e.submitter.name, e.submitter.value);
    fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().catch(function () { return { ok: false, error: "The server could not answer; try again." }; }); })
      .then(function (d) {
        if (d.ok) sent(form, d);
        else if (d.conflict) conflict(form, d);
        else showError(form, d.error);
      })
      .catch(function () { showError(form, "The request did not reach the server; try again."); });
  });

  var box = $("type-text");
  if (box) {
    box.addEventListener("input", function () { dirty = true; setText("type-saved", ""); });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        $("room-type").requestSubmit();
      }
    });
  }
  connect();
})();
