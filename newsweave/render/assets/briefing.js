// newsweave briefing page: clicking a citation shows the cited article in the
// reader with the cited sentence(s) highlighted and scrolled into view.
// No network, no libraries; without JavaScript the links still jump to the text.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var reader = document.getElementById("reader");
  var box = reader.querySelector(".docs");
  var status = document.getElementById("reader-status");
  var docs = Array.prototype.slice.call(reader.querySelectorAll(".doc"));
  var lastLink = null;

  function byId(id) { return document.getElementById(id); }

  function clearMarks() {
    Array.prototype.forEach.call(document.querySelectorAll(".s.hl"), function (el) {
      el.classList.remove("hl");
      el.removeAttribute("tabindex");
    });
    Array.prototype.forEach.call(document.querySelectorAll("a.cite.active"), function (el) {
      el.classList.remove("active");
      el.removeAttribute("aria-current");
    });
  }

  // Scroll the reader's own box (not the page) so the sentence sits a quarter
  // of the way down the part the article's sticky header leaves free.
  function reveal(el) {
    var head = el.closest(".doc").querySelector("header");
    var cover = head && getComputedStyle(head).position === "sticky" ? head.offsetHeight : 0;
    var top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - cover - (box.clientHeight - cover) / 4);
  }

  function show(n, targets, link) {
    var doc = byId("doc-" + n);
    if (!doc) { return false; }
    docs.forEach(function (d) { d.hidden = d !== doc; });
    clearMarks();
    reader.classList.add("open");
    var first = null;
    targets.forEach(function (id) {
      var el = byId(id);
      if (el && doc.contains(el)) {
        el.classList.add("hl");
        if (!first) { first = el; }
      }
    });
    if (link) {
      link.classList.add("active");
      link.setAttribute("aria-current", "true");
      lastLink = link;
    }
    var name = doc.getAttribute("data-label") || ("source " + n);
    if (first) {
      reveal(first);
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
      status.textContent = "[" + n + "] " + name + ": cited sentence highlighted.";
    } else {
      box.scrollTop = 0;
      status.textContent = "[" + n + "] " + name + ".";
    }
    return true;
  }

  // A link into a folded part of the page (the contents, the timeline
  // picture) unfolds every <details> around its target, and the section's own.
  function unfold(el) {
    if (!el) { return; }
    for (var d = el; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") { d.open = true; }
    }
    var own = el.querySelector ? el.querySelector(":scope > details") : null;
    if (own) { own.open = true; }
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    var jump = t && t.closest ? t.closest("main a[href^='#']:not(.cite)") : null;
    if (jump) { unfold(byId(jump.getAttribute("href").slice(1))); }
    var link = t && t.closest ? t.closest("a.cite, button.open-doc") : null;
    if (link) {
      var n = link.getAttribute("data-n");
      var targets = (link.getAttribute("data-t") || "").split(" ").filter(Boolean);
      if (show(n, targets, link.matches("a.cite") ? link : null)) {
        ev.preventDefault();
        if (link.matches("a.cite") && history.replaceState) {
          history.replaceState(null, "", link.getAttribute("href"));
        }
      }
      return;
    }
    if (t && t.closest && t.closest(".reader-close")) {
      reader.classList.remove("open");
      if (lastLink) { lastLink.focus(); }
    }
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && reader.classList.contains("open")) {
      reader.classList.remove("open");
      if (lastLink) { lastLink.focus(); }
    }
  });

  // Deep links: #a3-s5 opens article 3 at sentence 5.
  var m = /^#a(\d+)-([sr][\d-]+)$/.exec(location.hash);
  if (m) {
    show(m[1], [location.hash.slice(1)], null);
    // The browser's own jump to the fragment comes after this script; place it again.
    window.addEventListener("load", function () {
      var el = byId(location.hash.slice(1));
      if (el) { reveal(el); }
    });
  } else if (location.hash.length > 1) {
    unfold(byId(location.hash.slice(1)));
  }
  if (!m && docs.length) {
    docs.forEach(function (d, i) { d.hidden = i !== 0; });
    status.textContent = "Select a citation such as [1] to read the sentence in its article.";
  }
})();
