/* The editor changed in place: its tools (status, kind, move, delete, edit, insert, the status of
   several paragraphs) are sent in the background and the server answers with the rows that now read
   differently and the order of every row; those rows are swapped and the page stays where it was.
   Every form still works without this script, by reloading the page. The rows come from the
   server's own template, every text in them escaped there. */
(function () {
  "use strict";
  var root = document.getElementById("editor");
  if (!root) return;
  var live = document.getElementById("editor-status");
  var lastPick = null;

  function say(text, bad) {
    if (!text) return;
    if (live) live.textContent = text;
    var box = document.getElementById("editor-flash");
    if (!box) {
      box = document.createElement("div");
      box.id = "editor-flash";
      box.className = "flashes editor-flash";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    var p = document.createElement("p");
    p.className = "flash " + (bad ? "flash-error" : "flash-success");
    p.textContent = text;
    box.replaceChildren(p);
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { box.replaceChildren(); }, bad ? 12000 : 4000);
  }

  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  function slotOf(rowId) {
    if (rowId) {
      var row = document.getElementById(rowId);
      return row ? row.querySelector(".inplace-slot") : null;
    }
    return root.querySelector(".end-tools .inplace-slot");
  }

  function openSlot(slot, html) {
    if (!slot) return;
    var incoming = fragment(html);
    var open = slot.hidden ? null : slot.querySelector("form");
    var same = incoming.querySelector("form");
    var typed = open && Array.prototype.some.call(open.querySelectorAll("textarea"), function (box) {
      return box.value !== box.defaultValue;
    });
    if (typed && same && same.getAttribute("action") === open.getAttribute("action") && !same.querySelector(".flash, .field-error")) {
      // the same form asked for again (a second click): keep what is being typed in it
      var box = open.querySelector("textarea");
      if (box) box.focus();
      return;
    }
    slot.replaceChildren(incoming);
    slot.hidden = false;
    slot.querySelectorAll("textarea[data-diff-base]").forEach(function (box) {
      if (window.Drafter) window.Drafter.liveDiff(box);
    });
    var first = slot.querySelector("textarea, select, input:not([type=hidden])");
    if (first) first.focus();
  }

  function closeSlot(slot) {
    if (!slot) return;
    slot.replaceChildren();
    slot.hidden = true;
  }

  function nextRow(row) {
    var next = row.nextElementSibling;
    while (next && !next.matches("section.edit-row")) next = next.nextElementSibling;
    return next;
  }

  // Put the rows received in place and in order; drop those no longer in the revision.
  function apply(data, focusKey) {
    Object.keys(data.rows || {}).forEach(function (id) {
      var incoming = fragment(data.rows[id]).querySelector("section.edit-row");
      var old = document.getElementById(id);
      if (old) {
        var slot = old.querySelector(".inplace-slot");
        var keep = slot && !slot.hidden && !(data.slot && data.slot.row === id) ? slot : null;
        if (keep) incoming.querySelector(".inplace-slot").replaceWith(keep);
        old.replaceWith(incoming);
      } else {
        root.appendChild(incoming);
      }
    });
    if (data.order) {
      var wanted = {};
      data.order.forEach(function (id) { wanted[id] = true; });
      root.querySelectorAll("section.edit-row").forEach(function (row) {
        if (!wanted[row.id]) row.remove();
      });
      // Move only the rows out of place: moving all of them would lay the whole page out again.
      var at = root.querySelector("section.edit-row");
      data.order.forEach(function (id) {
        var row = document.getElementById(id);
        if (!row) return;
        if (row !== at) root.insertBefore(row, at || root.querySelector(".end-tools"));
        else at = nextRow(row);
      });
      var rows = root.querySelectorAll("section.edit-row");
      [rows[0], rows[1], rows[rows.length - 2], rows[rows.length - 1]].concat(
        Object.keys(data.rows || {}).map(function (id) { return document.getElementById(id); })
      ).forEach(function (row) {
        if (!row) return;
        var i = Array.prototype.indexOf.call(rows, row);
        var up = row.querySelector("[data-move=up]"), down = row.querySelector("[data-move=down]");
        if (up) up.disabled = i === 0;
        if (down) down.disabled = i === rows.length - 1;
      });
    }
    if (data.slot) openSlot(slotOf(data.slot.row), data.slot.html);
    if (data.focus) {
      var target = document.getElementById(data.focus);
      if (target) {
        var again = focusKey ? target.querySelector(focusKey) : null;
        if (again && !(data.slot && data.slot.row === data.focus)) again.focus();
        var box = target.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) target.scrollIntoView({block: "nearest"});
      }
    }
    if (data.error) say(data.error, true);
    else say(data.message, false);
  }

  function send(url, options, focusKey, fallback) {
    root.setAttribute("aria-busy", "true");
    options.headers = {"Accept": "application/json"};
    options.credentials = "same-origin";
    return fetch(url, options).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) throw new Error("not json");
      return r.json();
    }).then(function (data) {
      apply(data, focusKey);
      return data;
    }).catch(function () {
      fallback();
    }).finally(function () {
      root.removeAttribute("aria-busy");
    });
  }

  // What to give the focus back to in the row that replaces this one: the same control.
  function keyOf(el) {
    if (!el) return null;
    if (el.id) return "#" + CSS.escape(el.id);
    if (el.name) return "[name=" + CSS.escape(el.name) + "]" + (el.value ? "[value=" + CSS.escape(el.value) + "]" : "");
    return null;
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-inplace]") || e.defaultPrevented) return;
    if (!root.contains(form) && form.id !== "bulk-status") return;
    e.preventDefault();
    var body = new FormData(form);
    if (e.submitter && e.submitter.name) body.append(e.submitter.name, e.submitter.value);
    var key = keyOf(e.submitter) || keyOf(form.querySelector("select, button"));
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    send(form.action, {method: "POST", body: body}, key, function () {
      // not answered in place (a refused token, a lost connection): send it the ordinary way
      buttons.forEach(function (b) { b.disabled = false; });
      form.removeAttribute("data-inplace");
      form.removeAttribute("data-confirm");
      if (e.submitter && form.requestSubmit) form.requestSubmit(e.submitter); else form.submit();
    }).then(function (data) {
      buttons.forEach(function (b) { if (document.contains(b)) b.disabled = false; });
      if (!data) return;
      var slot = form.closest(".inplace-slot");
      if (data.ok && slot && !(data.slot)) closeSlot(slot);
      if (data.ok && form.id === "bulk-status") {
        form.querySelector("[name=paragraphs]").value = "";
        root.querySelectorAll("input[name=pick]:checked").forEach(function (box) { box.checked = false; });
      }
      // the bulk form may have come back refused: put its message by its box
      if (form.id === "bulk-status") {
        var err = form.querySelector(".field-error.live");
        if (err) err.remove();
        if (!data.ok && data.error) {
          var p = document.createElement("p");
          p.className = "field-error live";
          p.textContent = data.error;
          form.querySelector("[name=paragraphs]").after(p);
        }
      }
      // the Move up/down button keeps the focus in the moved row, its place on screen too
      if (data.ok && data.focus && e.submitter && e.submitter.hasAttribute("data-move")) {
        var moved = document.getElementById(data.focus);
        var button = moved && moved.querySelector("[data-move=" + e.submitter.getAttribute("data-move") + "]");
        if (button && !button.disabled) button.focus();
        else if (moved) moved.querySelector("[data-move]:not([disabled])").focus();
      }
    });
  });

  root.addEventListener("click", function (e) {
    var cancel = e.target.closest("[data-cancel]");
    if (cancel && cancel.closest(".inplace-slot")) {
      e.preventDefault();
      var slot = cancel.closest(".inplace-slot");
      var row = slot.closest("section.edit-row");
      closeSlot(slot);
      var back = row ? row.querySelector("a[data-inplace]") : null;
      if (back) back.focus();
      return;
    }
    var link = e.target.closest("a[data-inplace]");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;  // clicked again while the form is on its way
    link.setAttribute("aria-busy", "true");
    send(link.href, {method: "GET"}, null, function () { window.location.href = link.href; }).then(function () {
      link.removeAttribute("aria-busy");
    });
  });

  // Shift-click ticks every paragraph between the last one ticked and this one.
  root.addEventListener("click", function (e) {
    var box = e.target.closest("input[name=pick]");
    if (!box) return;
    var boxes = Array.prototype.slice.call(root.querySelectorAll("input[name=pick]"));
    if (e.shiftKey && lastPick && boxes.indexOf(lastPick) !== -1) {
      var a = boxes.indexOf(lastPick), b = boxes.indexOf(box);
      boxes.slice(Math.min(a, b), Math.max(a, b) + 1).forEach(function (x) { x.checked = box.checked; });
    }
    lastPick = box;
  });
})();
