// Drafter: small progressive enhancements. Every page works without this file.
"use strict";

(function () {
  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }

  // Live word diff under a text box: <textarea data-diff-base="..." data-diff-target="id">.
  // The server computes the diff with the same code as every other page.
  function liveDiff(box) {
    var target = document.getElementById(box.getAttribute("data-diff-target"));
    if (!target) return;
    var base = box.getAttribute("data-diff-base") || "";
    var timer = null, inflight = null, last = null;
    function update() {
      var text = box.value;
      if (text === last) return;
      last = text;
      if (inflight) inflight.abort();
      inflight = new AbortController();
      fetch(meta("diff-url"), {
        method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRFToken": meta("csrf-token")},
        body: JSON.stringify({base: base, text: text}),
        signal: inflight.signal,
        credentials: "same-origin"
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (data.error) { target.textContent = data.error; return; }
        if (!data.changed) { target.innerHTML = '<span class="muted">No change yet.</span>'; return; }
        target.innerHTML = data.html;  // built by the server's template, with every text escaped
      }).catch(function () { /* aborted or offline: the next keystroke retries */ });
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 200);
    });
    update();
  }

  // Forms that ask before doing something that cannot be undone: <form data-confirm="...">,
  // also those a page puts in later (the editor's rows changed in place).
  function confirmForms() {
    document.addEventListener("submit", function (e) {
      var form = e.target.closest ? e.target.closest("form[data-confirm]") : null;
      if (form && !window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  }

  // A choice list that offers a few options until used: <select data-all-options="template id">
  // takes the template's options, all of them, when it gets the focus, keeping its choice.
  function fullLists() {
    document.querySelectorAll("select[data-all-options]").forEach(function (select) {
      select.addEventListener("focus", function () {
        var source = document.getElementById(select.getAttribute("data-all-options"));
        if (!source || select.hasAttribute("data-expanded")) return;
        var value = select.value;
        select.replaceChildren(source.content.cloneNode(true));
        select.value = value;
        select.setAttribute("data-expanded", "");
      });
    });
  }

  // A long list narrowed as one types: <input data-filter-list="list id"> hides the list's items
  // whose text does not hold every word typed ("op12", "climate finance"). Without this file the
  // box stays hidden and the whole list shows.
  function filterLists() {
    document.querySelectorAll("input[data-filter-list]").forEach(function (box) {
      var list = document.getElementById(box.getAttribute("data-filter-list"));
      if (!list) return;
      var holder = box.closest("[hidden]");
      if (holder) holder.hidden = false;
      box.addEventListener("input", function () {
        var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
        list.querySelectorAll("li").forEach(function (item) {
          var text = item.textContent.toLowerCase();
          var checked = item.querySelector("input:checked");
          item.hidden = !checked && !words.every(function (w) { return text.indexOf(w) !== -1; });
        });
      });
    });
  }

  // The words searched for marked where they stand: <article data-highlight="words">. Text nodes are
  // split and the words wrapped in <mark>; nothing is parsed as HTML.
  function highlight() {
    document.querySelectorAll("[data-highlight]").forEach(function (root) {
      var words = root.getAttribute("data-highlight").toLowerCase().split(/\s+/).filter(Boolean);
      if (!words.length) return;
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (node) {
        var text = node.nodeValue, lower = text.toLowerCase(), at = 0, out = [];
        while (at < text.length) {
          var next = -1, len = 0;
          words.forEach(function (w) {
            var i = lower.indexOf(w, at);
            if (i !== -1 && (next === -1 || i < next || (i === next && w.length > len))) { next = i; len = w.length; }
          });
          if (next === -1) break;
          out.push(document.createTextNode(text.slice(at, next)));
          var mark = document.createElement("mark");
          mark.textContent = text.slice(next, next + len);
          out.push(mark);
          at = next + len;
        }
        if (!out.length) return;
        out.push(document.createTextNode(text.slice(at)));
        node.replaceWith.apply(node, out);
      });
    });
  }

  // j and k: the next and the previous paragraph with proposals (<section data-proposals tabindex="-1">).
  function proposalKeys() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-proposals]"));
    if (!rows.length) return;
    document.querySelectorAll(".keys-hint").forEach(function (hint) { hint.hidden = false; });
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.key !== "j" && e.key !== "k")) return;
      var t = e.target;
      if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName)) return;
      var current = rows.indexOf(document.activeElement), to;
      if (current === -1) {
        // from where the reader is: the first row below the top of the window, or the last above it
        var below = rows.findIndex(function (r) { return r.getBoundingClientRect().top > 1; });
        to = e.key === "j" ? below : (below === -1 ? rows.length : below) - 1;
      } else {
        to = current + (e.key === "j" ? 1 : -1);
      }
      if (to < 0 || to >= rows.length) return;
      e.preventDefault();
      rows[to].focus();
      rows[to].scrollIntoView({block: "start"});
      if (rows[to].id) history.replaceState(null, "", "#" + rows[to].id);
    });
  }

  // For scripts that put text boxes in a page later (editor.js): the same live diff.
  window.Drafter = {liveDiff: liveDiff};

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-diff-base]").forEach(liveDiff);
    confirmForms();
    fullLists();
    filterLists();
    highlight();
    proposalKeys();
  });
})();
