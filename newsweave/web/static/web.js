// newsweave web app. Everything here is an enhancement: without JavaScript a
// citation opens the article page with the sentence highlighted, sections
// fold with <details>, and the timeline is plain SVG.
//  * citations open the cited article in the reader pane, sentence highlighted
//    (the article comes from its JSON twin, /articles/KEY.json, and is built
//    with DOM text nodes, never parsed as HTML);
//  * a link to a section or event inside a folded section unfolds it;
//  * an open story page polls its story's updated_at and reloads itself when
//    new articles join.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // ---- sections: unfold the <details> around a link's target ----------------
  function unfold() {
    var id = location.hash.slice(1);
    if (!id) { return; }
    var target = null;
    try { target = document.getElementById(decodeURIComponent(id)); } catch (e) { return; }
    for (var p = target; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) { p.open = true; }
    }
    if (target) { target.scrollIntoView({ block: "start" }); }
  }
  window.addEventListener("hashchange", unfold);
  unfold();

  // ---- the reader pane ---------------------------------------------------------
  var reader = document.getElementById("reader");
  if (reader) {
    var box = reader.querySelector(".docs");
    var status = document.getElementById("reader-status");
    var loads = {};
    var lastLink = null;

    var load = function (key) {
      if (!loads[key]) {
        loads[key] = fetch("/articles/" + encodeURIComponent(key) + ".json", {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (r) {
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.json();
        });
        loads[key].catch(function () { delete loads[key]; });
      }
      return loads[key];
    };

    // The article as paragraphs of sentence spans. Offsets in the JSON are
    // Unicode code points, so the text is sliced as an array of code points.
    var build = function (a, n) {
      var doc = el("article", "doc");
      doc.setAttribute("data-key", a.hash);
      var head = el("header");
      var h = el("h2");
      h.appendChild(el("span", "num", n || a.number || "·"));
      h.appendChild(document.createTextNode(a.source || "Unknown outlet"));
      head.appendChild(h);
      var meta = [a.title, (a.published || "").slice(0, 10)].filter(Boolean).join(" · ");
      head.appendChild(el("p", "doc-meta", meta));
      var page = el("a", "doc-page", "Open the article page");
      page.href = a.url_path;
      head.appendChild(page);
      doc.appendChild(head);
      var body = el("div", "doc-text");
      var cps = Array.from(a.text);
      var pos = a.body_start || 0;
      var para = el("p");
      var gap = function (s) {
        s.split(/[ \t]*\r?\n\s*/).forEach(function (piece, i) {
          if (i && para.childNodes.length) { body.appendChild(para); para = el("p"); }
          if (piece) { para.appendChild(document.createTextNode(piece)); }
        });
      };
      a.sentences.slice().sort(function (x, y) { return x.start - y.start; }).forEach(function (s) {
        if (s.start < pos || s.end > cps.length || s.start >= s.end) { return; }
        gap(cps.slice(pos, s.start).join(""));
        var span = el("span", s.boilerplate ? "s boiler" : "s", cps.slice(s.start, s.end).join(""));
        span.setAttribute("data-i", String(s.index));
        span.setAttribute("data-start", String(s.start));
        span.setAttribute("data-end", String(s.end));
        para.appendChild(span);
        pos = s.end;
      });
      gap(cps.slice(pos).join(""));
      if (para.childNodes.length) { body.appendChild(para); }
      doc.appendChild(body);
      return doc;
    };

    // Scroll the reader's own box so the sentence sits a quarter of the way
    // down the part the article's sticky header leaves free.
    var reveal = function (target) {
      var head = target.closest(".doc").querySelector("header");
      var cover = head && getComputedStyle(head).position === "sticky" ? head.offsetHeight : 0;
      var top = target.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      box.scrollTop = Math.max(0, top - cover - (box.clientHeight - cover) / 4);
    };

    var clear = function () {
      Array.prototype.forEach.call(reader.querySelectorAll(".s.hl"), function (e) {
        e.classList.remove("hl");
        e.removeAttribute("tabindex");
      });
      Array.prototype.forEach.call(document.querySelectorAll("a.cite.active"), function (e) {
        e.classList.remove("active");
        e.removeAttribute("aria-current");
      });
    };

    var show = function (link) {
      var key = link.getAttribute("data-key");
      var n = link.getAttribute("data-n");
      var wanted = (link.getAttribute("data-s") || "").split(" ").filter(Boolean);
      // A quotation may run past its sentence: mark every sentence its range touches.
      var ranges = (link.getAttribute("data-r") || "").split(" ").filter(Boolean).map(function (r) {
        var ab = r.split("-");
        return [parseInt(ab[0], 10), parseInt(ab[1], 10)];
      });
      reader.classList.add("open");
      status.textContent = "Opening [" + n + "]…";
      return load(key).then(function (a) {
        var doc = null;
        Array.prototype.forEach.call(box.querySelectorAll(".doc"), function (d) {
          if (d.getAttribute("data-key") === a.hash) { doc = d; }
        });
        if (!doc) { doc = build(a, n); box.appendChild(doc); }
        Array.prototype.forEach.call(box.querySelectorAll(".doc"), function (d) { d.hidden = d !== doc; });
        clear();
        var first = null;
        Array.prototype.forEach.call(doc.querySelectorAll(".s"), function (s) {
          var a = +s.getAttribute("data-start"), z = +s.getAttribute("data-end");
          var touched = ranges.some(function (r) { return r[0] < z && a < r[1]; });
          if (wanted.indexOf(s.getAttribute("data-i")) >= 0 || touched) {
            s.classList.add("hl");
            if (!first) { first = s; }
          }
        });
        if (link.classList.contains("cite")) {
          link.classList.add("active");
          link.setAttribute("aria-current", "true");
        }
        lastLink = link;
        var name = a.source || "source " + n;
        if (first) {
          reveal(first);
          first.setAttribute("tabindex", "-1");
          first.focus({ preventScroll: true });
          status.textContent = "[" + n + "] " + name + ": cited sentence highlighted.";
        } else {
          box.scrollTop = 0;
          status.textContent = "[" + n + "] " + name + ".";
        }
      });
    };

    document.addEventListener("click", function (ev) {
      var t = ev.target;
      if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) { return; }
      var link = t && t.closest ? t.closest("a.cite, a.open-doc, a.headline") : null;
      if (link && link.getAttribute("data-key")) {
        ev.preventDefault();
        show(link).catch(function () { location.href = link.href; });
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
  }

  // ---- the story page follows its story ---------------------------------------
  var main = document.querySelector("main[data-poll]");
  if (main && window.fetch) {
    var url = main.getAttribute("data-poll");
    var seen = main.getAttribute("data-updated");
    var id = main.getAttribute("data-story");
    var every = Math.max(1000, parseInt(main.getAttribute("data-poll-ms"), 10) || 30000);
    var live = document.getElementById("live");
    var tick = function () {
      if (document.hidden) { setTimeout(tick, every); return; }
      fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (s && s.updated_at && (s.updated_at !== seen || s.id !== id)) {
            live.hidden = false;
            live.textContent = "New articles joined this story. Updating…";
            location.replace(s.url + location.search);
            return;
          }
          setTimeout(tick, every);
        })
        .catch(function () { setTimeout(tick, every); });
    };
    setTimeout(tick, every);
  }
})();
