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

  // Forms that ask before doing something that cannot be undone: <form data-confirm="...">.
  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
      });
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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-diff-base]").forEach(liveDiff);
    confirmForms();
    fullLists();
    filterLists();
  });
})();
