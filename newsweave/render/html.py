"""Self-contained HTML briefing: one file, inline CSS and JavaScript, no network.

Every citation is a link. Clicking it opens the cited article in a reader
beside the briefing (a bottom sheet on narrow screens) with the cited
sentences highlighted and scrolled into view. The article texts are embedded
as escaped HTML with one ``<span>`` per sentence, so the page works offline
and a strict Content-Security-Policy forbids any request and any script but
the page's own (allowed by its SHA-256 hash, not by 'unsafe-inline'). Everything
that comes from an article or the pipeline goes through :func:`html.escape`;
only http(s) addresses become links.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from newsweave.analyze.sentences import body_start
from newsweave.models import (
    Article,
    Briefing,
    Citation,
    Claim,
    Dispute,
    Fact,
    LedgerEntry,
    SourceEntry,
    TimelineEvent,
)
from newsweave.render.caps import DEFAULT_CAPS, Caps, Cut, plural, select
from newsweave.render.common import (
    DISPUTE_LABELS,
    STATUS_LABELS,
    CiteIndex,
    copy_note,
    date_label,
    date_span,
    figure_label,
    independent_groups,
    is_conflict,
    ledger_rows,
    outlet_label,
    outlet_name,
    overview_bits,
    quote_text,
    safe_url,
)

__all__ = ["to_html"]

_LINE_BREAKS = re.compile(r"[ \t]*\r?\n\s*")
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src '{script_hash}'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def esc(value: object) -> str:
    """Escape text for HTML content and double-quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


@lru_cache(maxsize=2)
def _asset(name: str) -> str:
    return resources.files("newsweave.render").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _script() -> tuple[str, str]:
    """The page's one inline script and its CSP source (``'sha256-...'``)."""
    body = "\n" + _asset("briefing.js")
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
    return body, f"sha256-{digest}"


def _url_html(url: str) -> str:
    """An article's address: a link when it is http(s), plain text otherwise."""
    link = safe_url(url)
    if link:
        return (f'<div class="src-url"><a href="{esc(link)}" rel="noopener noreferrer nofollow">'
                f"{esc(link)}</a></div>")  # fmt: skip
    return f'<div class="src-url">{esc(url)} (not linked)</div>'


class _Page:
    """Builds one page; keeps the citation index and the sentence-span ids."""

    def __init__(self, b: Briefing, caps: Caps = DEFAULT_CAPS) -> None:
        self.b = b
        self.idx = CiteIndex(b)
        self.sel = select(b, caps)
        # article id -> {(start, end): element id} for cited ranges without a sentence
        self.extra_ranges: dict[str, dict[tuple[int, int], str]] = {}

    # -- citations -------------------------------------------------------
    def _targets(self, n: int, c: Citation) -> list[str]:
        """Ids of the sentences a citation covers: its own sentence, plus the
        following ones when the cited span runs on (a quote over two sentences)."""
        sent = self.idx.sentence(c)
        if sent is not None:
            ids = [f"a{n}-s{sent.index}"]
            if c.end > sent.end:
                ids += [
                    f"a{n}-s{s.index}"
                    for s in self.b.sentences.get(c.article_id, ())
                    if s.start >= sent.end and s.start < c.end
                ]
            return ids
        rid = f"a{n}-r{c.start}-{c.end}"
        self.extra_ranges.setdefault(c.article_id, {})[(c.start, c.end)] = rid
        return [rid]

    def cites(self, citations: Iterable[Citation]) -> str:
        """Links ``[n]``, one per source, each opening all its cited sentences."""
        out = []
        for n, group in self.idx.first_per_source(citations).items():
            targets = list(dict.fromkeys(t for c in group for t in self._targets(n, c)))
            entry = self.idx.by_number[n]
            preview = " … ".join(self.idx.text(c) for c in group[:2])
            label = f"Source {n}, {outlet_label(entry)}: show the cited sentence"
            out.append(
                f'<a class="cite" href="#{targets[0]}" data-n="{n}" data-t="{esc(" ".join(targets))}" '
                f'title="{esc(preview[:300])}" aria-label="{esc(label)}">[{n}]</a>'
            )
        return f'<span class="cites">{"".join(out)}</span>' if out else ""

    # -- sections --------------------------------------------------------
    def header(self) -> str:
        b = self.b
        bits = overview_bits(b)
        toc = "".join(f'<a href="#{sid}">{esc(name)}</a>' for sid, name, _ in self.sections() if name)
        return (
            '<header><p class="kicker">newsweave briefing</p>'
            f"<h1>{esc(b.title or 'Briefing')}</h1>"
            f'<p class="meta">{esc(" · ".join(bits))}</p>'
            f'<nav class="toc" aria-label="Sections">{toc}</nav></header>'
        )

    def sections(self) -> list[tuple[str, str, bool]]:
        b = self.b
        return [
            ("changes", "What changed", b.changes is not None),
            ("summary", "Summary", bool(b.summary)),
            ("sources", "Sources", bool(b.sources)),
            ("timeline", "Timeline", bool(b.timeline)),
            ("speakers", "Who said what", bool(b.speakers)),
            ("figures", "Figures", bool(b.figures)),
            ("disputes", "Agreement and disputes", bool(b.disputes or b.corroborated or b.single_source)),
            ("coverage", "Coverage", any(b.coverage.values())),
            ("notes", "Notes", bool(b.notes)),
        ]

    def section(self, sid: str, name: str, body: str) -> str:
        """A section the reader can fold: its heading is the ``<summary>`` of an open ``<details>``."""
        count = self.counts().get(sid, "")
        note = f' <span class="count">{esc(count)}</span>' if count else ""
        return (
            f'<section id="{sid}" aria-labelledby="h-{sid}"><details class="sec" open>'
            f'<summary><h2 id="h-{sid}">{esc(name)}</h2>{note}</summary>{body}</details></section>'
        )

    def counts(self) -> dict[str, str]:
        """What each long section holds, shown beside its heading."""
        b = self.b
        facts = len(b.disputes) + len(b.corroborated) + len(b.single_source)
        return {
            "timeline": plural(len(b.timeline), "event"),
            "speakers": f"{plural(len(b.speakers), 'speaker')}, {plural(sum(len(sp.quotes) for sp in b.speakers), 'claim')}",
            "figures": plural(sum(len(ledger_rows(e)) for e in b.figures), "figure"),
            "disputes": plural(facts, "item"),
            "coverage": plural(sum(len(v) for v in b.coverage.values()), "fact"),
        }

    @staticmethod
    def folded(hidden: int, what: str, body: str) -> str:
        """The part of a long section the short briefing leaves out: folded, never dropped."""
        if not hidden:
            return ""
        return f'<details class="more"><summary>{esc(plural(hidden, "more " + what))}</summary>{body}</details>'

    def changes(self) -> str:
        """``brief --since``: the new reports' facts, figures, disputes and voices, cited."""
        ch = self.b.changes
        if ch is None:
            return ""
        n = len(ch.new_articles)
        out = [f"<p>{n} new report{'s' if n != 1 else ''} since {esc(ch.since)}.</p>"]
        if ch.facts:
            items = "".join(f"<li>{esc(f.text)}{self.cites(f.citations)}</li>" for f in ch.facts)
            out.append(f"<h3>New facts</h3><ul>{items}</ul>")
        if ch.figures:
            items = "".join(
                f"<li>{esc(fc.counted)}: "
                + "; ".join(f"{esc(t)}{self.cites([c])}" for t, c in fc.after)
                + " (before: " + "; ".join(f"{esc(t)}{self.cites([c])}" for t, c in fc.before) + ")</li>"
                for fc in ch.figures
            )
            out.append(f"<h3>Figures that changed</h3><ul>{items}</ul>")
        if ch.disputes:
            items = "".join(
                f"<li>{esc(d.topic)}: " + " / ".join(f"{esc(st)}{self.cites(c)}" for st, c in d.sides) + "</li>"
                for d in ch.disputes
            )
            out.append(f"<h3>New disputes</h3><ul>{items}</ul>")
        if ch.speakers:
            items = "".join(
                f"<li>{esc(sp.speaker)}: {esc(q.text)}{self.cites(q.citations)}</li>"
                for sp in ch.speakers for q in sp.quotes
            )
            out.append(f"<h3>New voices and statements</h3><ul>{items}</ul>")
        return "".join(out)

    def summary(self) -> str:
        parts = "".join(f"<p>{esc(s.text)}{self.cites(s.citations)}</p>" for s in self.b.summary)
        hint = '<p class="hint">Select a number such as [1] to read the sentence in its article.</p>'
        return f'<div class="summary">{parts}</div>{hint}'

    def sources(self) -> str:
        items = []
        for s in sorted(self.b.sources, key=lambda e: e.number):
            meta = [f"<strong>{esc(outlet_label(s))}</strong>"]
            if s.title:
                meta.append(f"“{esc(s.title)}”")
            if s.date:
                meta.append(f'<time datetime="{esc(s.date)}">{esc(s.date[:10])}</time>')
            badges = ""
            note = copy_note(s, self.b.sources)
            if note:
                badges += f'<span class="badge warn">{esc(note)}</span>'
            else:
                badges += '<span class="badge ok">independent</span>'
            if s.agencies:
                badges += f'<span class="badge">agency copy: {esc(", ".join(s.agencies))}</span>'
            url = _url_html(s.url) if s.url else ""
            items.append(
                f'<li id="src-{s.number}"><span class="num">{s.number}</span><div>{", ".join(meta)} {badges}{url}'
                f' <button type="button" class="open-doc" data-n="{s.number}" data-t="">Read article {s.number}</button>'
                "</div></li>"
            )
        groups = independent_groups(self.b.sources)
        note = ""
        if len(groups) < len(self.b.sources):
            shown = ", ".join("".join(f"[{e.number}]" for e in g) for g in groups)
            note = f'<p class="small">{len(groups)} independent reports: {esc(shown)}</p>'
        return f'<ol class="sources">{"".join(items)}</ol>{note}'

    def timeline(self) -> str:
        svg = timeline_svg(self.b.timeline)
        cut = self.sel.timeline

        def item(i: int) -> str:
            ev = self.b.timeline[i]
            said = ""
            if ev.expressions:
                said = '<div class="said">' + esc(", ".join(f"“{e}”" for e in ev.expressions)) + "</div>"
            return (
                f'<li id="t-{i + 1}"><span class="num">{i + 1}</span><time datetime="{esc(ev.date)}">'
                f"{esc(date_label(ev.date))}</time><div>{esc(ev.text)}{self.cites(ev.citations)}{said}</div></li>"
            )

        shown = "".join(item(i) for i in cut.shown)
        rest = self.folded(cut.hidden, "event", f'<ol class="timeline">{"".join(item(i) for i in cut.rest)}</ol>')
        return f'{svg}<ol class="timeline">{shown}</ol>{rest}'

    def _claim(self, cl: Claim) -> str:
        body, marks = quote_text(cl.text, cl.direct and cl.stance == "asserts")
        if marks:
            shown = f"<q>{esc(body)}</q>"
        else:
            shown = esc(body) + ("" if cl.direct else ' <span class="reported">(reported)</span>')
        return f'<li class="stance-{esc(cl.stance)}">{shown}{self.cites(cl.citations)}</li>'

    def _speaker(self, pos: int) -> str:
        sp = self.b.speakers[pos]
        claims: Cut[Claim] = self.sel.claims_of(pos)
        role = f'<p class="role">{esc(sp.role)}</p>' if sp.role else ""
        quotes = "".join(self._claim(cl) for cl in claims.shown_items)
        more = self.folded(claims.hidden, "claim", f'<ul>{"".join(self._claim(cl) for cl in claims.rest_items)}</ul>')
        foot = ""
        if sp.outlets:
            names = ", ".join(outlet_name(o, self.idx) for o in sp.outlets)
            foot = f'<p class="small">Carried by {esc(names)}</p>'
        if sp.variants_differ:
            foot += '<p class="small"><span class="badge warn">versions differ</span> The outlets quote this speaker differently.</p>'
        return f'<article class="speaker"><h3>{esc(sp.speaker)}</h3>{role}<ul>{quotes}</ul>{more}{foot}</article>'

    def speakers(self) -> str:
        cut = self.sel.speakers
        shown = "".join(self._speaker(i) for i in cut.shown)
        return shown + self.folded(cut.hidden, "speaker", "".join(self._speaker(i) for i in cut.rest))

    def _ledger(self, entries: Sequence[LedgerEntry]) -> str:
        bodies = []
        for e in entries:
            cls = "warn" if is_conflict(e) else ("ok" if e.status == "corroborated" else "")
            badge = f'<span class="badge {cls}">{esc(STATUS_LABELS.get(e.status, e.status))}</span>'
            rows = []
            shown = ledger_rows(e)
            for i, row in enumerate(shown):
                first = f'<td rowspan="{len(shown)}">{esc(e.counted)} {badge}</td>' if i == 0 else ""
                date = f'<time datetime="{esc(row.date)}">{esc(row.date)}</time>' if row.date else ""
                rows.append(
                    f"<tr>{first}<td>{esc(figure_label(row, e))}</td><td>{esc(row.by or '—')}</td><td>{date}</td>"
                    f"<td>{self.cites(row.citations)}</td></tr>"
                )
            status = "conflict" if is_conflict(e) else e.status
            bodies.append(f'<tbody class="{esc(status)}">{"".join(rows)}</tbody>')
        head = (
            '<thead><tr><th scope="col">What is counted</th><th scope="col">Figure</th><th scope="col">Given by</th>'
            '<th scope="col">Date</th><th scope="col">Source</th></tr></thead>'
        )
        return f"<table>{head}{''.join(bodies)}</table>"

    def figures(self) -> str:
        cut = self.sel.figures
        rest = cut.rest_items
        hidden = sum(len(ledger_rows(e)) for e in rest)
        return self._ledger(cut.shown_items) + self.folded(hidden, "figure", self._ledger(rest) if rest else "")

    def _facts(self, facts: Sequence[Fact]) -> str:
        items = []
        for f in facts:
            n_out = len(set(f.articles)) or len(self.idx.numbers(f.citations))
            pill = (
                f'<span class="badge">{n_out} outlets · {f.independent} independent</span>'
                if n_out > 1
                else ""
            )
            items.append(f"<li>{esc(f.text)}{self.cites(f.citations)} {pill}</li>")
        return f'<ul class="facts">{"".join(items)}</ul>'

    def _fact_cut(self, cut: Cut[Fact]) -> str:
        return self._facts(cut.shown_items) + self.folded(cut.hidden, "fact", self._facts(cut.rest_items))

    def _dispute(self, d: Dispute) -> str:
        sides = "".join(
            f'<blockquote class="side">{esc(st)}{self.cites(cites)}</blockquote>'
            for st, cites in d.sides
        )
        return (
            f'<article class="dispute"><h3><span class="badge warn">{esc(DISPUTE_LABELS.get(d.kind, d.kind))}</span> '
            f'{esc(d.topic)}</h3><div class="sides">{sides}</div></article>'
        )

    def disputes(self) -> str:
        out = []
        if self.b.disputes:
            cut = self.sel.disputes
            out.append("<h3>Disputes</h3>" + "".join(self._dispute(d) for d in cut.shown_items))
            out.append(self.folded(cut.hidden, "dispute", "".join(self._dispute(d) for d in cut.rest_items)))
        if self.b.corroborated:
            out.append("<h3>Reported by several sources</h3>" + self._fact_cut(self.sel.corroborated))
        if self.b.single_source:
            out.append("<h3>Reported by one source only</h3>" + self._fact_cut(self.sel.single_source))
        return "".join(out)

    def coverage(self) -> str:
        out = ['<p class="small">What each outlet reported that the others did not; first what the sections '
               "above do not already show.</p>"]
        for outlet, facts in self.b.coverage.items():
            if facts:
                cut = self.sel.coverage.get(outlet) or Cut(tuple(facts), (), tuple(range(len(facts))))
                out.append(
                    f"<details open><summary>{esc(outlet_name(outlet, self.idx))}: {len(facts)}</summary>"
                    f"{self._fact_cut(cut)}</details>"
                )
        return "".join(out)

    def notes(self) -> str:
        return "<ul>" + "".join(f"<li>{esc(n)}</li>" for n in self.b.notes) + "</ul>"

    # -- the reader --------------------------------------------------------
    def doc(self, a: Article, entry: SourceEntry) -> str:
        n = entry.number
        ranges: list[tuple[int, int, str, str]] = []
        for s in self.b.sentences.get(a.id, ()):
            ranges.append((s.start, s.end, f"a{n}-s{s.index}", "s boiler" if s.boilerplate else "s"))
        for (start, end), rid in self.extra_ranges.get(a.id, {}).items():
            ranges.append((start, end, rid, "s"))
        ranges.sort()
        # The "date YYYY-MM-DD" line is metadata (shown above), not prose.
        parts, pos = ["<p>"], body_start(a.text)
        for start, end, rid, cls in ranges:
            if start < pos or end > len(a.text) or start >= end:
                continue  # overlapping or out-of-range spans would break the markup
            parts.append(_paragraphs(a.text[pos:start]))
            parts.append(f'<span class="{cls}" id="{rid}">{esc(a.text[start:end])}</span>')
            pos = end
        parts.append(_paragraphs(a.text[pos:]) + "</p>")
        meta = [x for x in (entry.title, entry.date[:10] if entry.date else None) if x]
        note = copy_note(entry, self.b.sources)
        url = _url_html(entry.url) if entry.url else ""
        return (
            f'<article class="doc" id="doc-{n}" data-n="{n}" data-label="{esc(outlet_label(entry))}" '
            f'aria-labelledby="doc-{n}-h"><header><h2 id="doc-{n}-h"><span class="num">{n}</span>'
            f"{esc(outlet_label(entry))}</h2>"
            f'<p class="doc-meta">{esc(" · ".join(meta))}{" · " + esc(note) if note else ""}</p>{url}</header>'
            f'<div class="doc-text">{"".join(parts).replace("<p></p>", "")}</div></article>'
        )

    def reader(self) -> str:
        docs = []
        for a in self.b.articles:
            entry = self.idx.by_id.get(a.id)
            if entry is not None:
                docs.append((entry.number, self.doc(a, entry)))
        body = "".join(d for _, d in sorted(docs))
        return (
            '<aside id="reader" class="reader" aria-label="Cited article">'
            '<div class="reader-head"><p id="reader-status" aria-live="polite">Cited articles</p>'
            '<button type="button" class="reader-close">Close</button></div>'
            f'<div class="docs">{body}</div></aside>'
        )

    def render(self) -> str:
        builders = {
            "changes": self.changes,
            "summary": self.summary,
            "sources": self.sources,
            "timeline": self.timeline,
            "speakers": self.speakers,
            "figures": self.figures,
            "disputes": self.disputes,
            "coverage": self.coverage,
            "notes": self.notes,
        }
        # Sections first: they register the cited ranges the reader must wrap.
        body = "".join(self.section(sid, name, builders[sid]()) for sid, name, on in self.sections() if on)
        reader = self.reader()
        foot = (
            f'<footer class="page">Made by newsweave from {len(self.b.articles)} article(s). '
            "Every statement links to the sentences it came from. This page works offline.</footer>"
        )
        title = esc(self.b.title or "Briefing")
        script, script_hash = _script()
        csp = _CSP.format(script_hash=script_hash)
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            '<meta name="generator" content="newsweave">\n'
            f"<title>{title} · newsweave briefing</title>\n<style>\n{_asset('briefing.css')}</style>\n</head>\n<body>\n"
            '<a class="skip" href="#main">Skip to the briefing</a>\n<div class="layout">\n'
            f'<main id="main">{self.header()}{body}{foot}</main>\n{reader}\n</div>\n'
            f"<script>{script}</script>\n</body>\n</html>\n"
        )


def _paragraphs(gap: str) -> str:
    """Text between sentences, escaped; its line breaks (one paragraph per
    line in news text) become paragraph breaks so the article reads as prose."""
    return "</p><p>".join(esc(part) for part in _LINE_BREAKS.split(gap))


def _plotted(events: Sequence[TimelineEvent]) -> tuple[list[tuple[int, date, date]], int]:
    """Events with calendar dates near the story's centre; far outliers (a
    2003 precedent in a 2026 story) would squash the axis, so they are counted
    and left to the list below."""
    spans = [
        (i, *sp)
        for i, ev in enumerate(events, 1)
        if (sp := date_span(ev.date)) and (sp[1] - sp[0]).days <= 31
    ]
    if not spans:
        return [], 0
    mids = sorted(a + (b - a) / 2 for _, a, b in spans)
    centre = mids[len(mids) // 2]
    keep = [s for s in spans if abs((s[1] - centre).days) <= 60]
    return keep, len(events) - len(keep)


def timeline_svg(events: Sequence[TimelineEvent]) -> str:
    """A small inline SVG: dates on an axis, a dot per event (a bar for a week).

    >>> from newsweave.models import TimelineEvent
    >>> "<svg" in timeline_svg([TimelineEvent("2026-03-09", "Strike", ())])
    True
    """
    keep, left_out = _plotted(events)
    if not keep:
        return ""
    lo = min(a for _, a, _ in keep) - timedelta(days=1)
    hi = max(b for _, _, b in keep) + timedelta(days=1)
    days = (hi - lo).days or 1
    width, pad, axis_y = 720, 24, 50
    scale = (width - 2 * pad) / days

    def x(d: date, frac: float = 0.5) -> float:
        return pad + ((d - lo).days + frac) * scale

    # Events on the same days stack upwards; past MAX_ROWS a "+n" stands for
    # the rest, which the numbered list below still shows.
    max_rows = 4
    marks, rows_used = [], 0
    stack: dict[date, int] = {}
    hidden: dict[date, int] = {}
    for i, a, b in keep:
        row = max(stack.get(a + timedelta(days=k), 0) for k in range((b - a).days + 1))
        centre = a if b == a else a + (b - a) / 2
        if row >= max_rows:
            hidden[centre] = hidden.get(centre, 0) + 1
            continue
        for k in range((b - a).days + 1):
            stack[a + timedelta(days=k)] = row + 1
        rows_used = max(rows_used, row + 1)
        cy = axis_y + 22 + row * 22
        ev = events[i - 1]
        label = esc(f"{date_label(ev.date)}: {ev.text}")
        shape = ""
        if b > a:
            shape = (
                f'<rect class="ev-span" x="{x(a, 0.1):.1f}" y="{cy - 8}" '
                f'width="{(b - a).days * scale + 0.8 * scale:.1f}" height="16" rx="8"/>'
            )
        marks.append(
            f'<a href="#t-{i}" aria-label="{label}"><title>{label}</title>{shape}'
            f'<circle class="ev" cx="{x(centre):.1f}" cy="{cy}" r="9"/>'
            f'<text class="evlabel" x="{x(centre):.1f}" y="{cy + 3.5}" text-anchor="middle">{i}</text></a>'
        )
    for day, n in hidden.items():
        cy = axis_y + 22 + max_rows * 22
        marks.append(
            f'<text class="ticklabel more" x="{x(day):.1f}" y="{cy + 4}" text-anchor="middle">+{n}</text>'
        )
    if hidden:
        rows_used = max_rows + 1
    height = axis_y + 22 + rows_used * 22 + 6
    # A calendar strip: weekday initial over day number for every day when
    # there is room (about 18px a day), else Mondays only.
    every_day = scale >= 18
    ticks = []
    d = lo + timedelta(days=1)
    last_month = None
    while d < hi:
        if every_day or d.weekday() == 0:
            cx = f"{x(d):.1f}"
            mon = " mon" if d.weekday() == 0 else ""
            ticks.append(f'<line class="tick" x1="{cx}" x2="{cx}" y1="{axis_y - 3}" y2="{height}"/>')
            ticks.append(
                f'<text class="ticklabel{mon}" x="{cx}" y="{axis_y - 20}" text-anchor="middle">{"MTWTFSS"[d.weekday()]}</text>'
                f'<text class="ticklabel{mon}" x="{cx}" y="{axis_y - 7}" text-anchor="middle">{d.day}</text>'
            )
            if d.month != last_month:
                ticks.append(f'<text class="monthlabel" x="{cx}" y="12" text-anchor="start">{d:%B %Y}</text>')
                last_month = d.month
        d += timedelta(days=1)
    note = f"; {left_out} event(s) outside this range are in the list" if left_out else ""
    return (
        f'<svg class="timeline-svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="tl-title">'
        f'<title id="tl-title">Timeline of {len(keep)} dated event(s){esc(note)}</title>'
        f'<line class="axis" x1="{pad}" x2="{width - pad}" y1="{axis_y}" y2="{axis_y}"/>'
        f"{''.join(ticks)}{''.join(marks)}</svg>"
    )


def to_html(briefing: Briefing, caps: Caps = DEFAULT_CAPS) -> str:
    """Render a briefing as one self-contained HTML page.

    Every section can be folded; a long section shows the items the short
    Markdown briefing shows and keeps the rest in a folded "N more" part, so
    nothing is dropped.

    Args:
        briefing: the briefing; empty sections are left out.
        caps: which items a long section shows unfolded (:mod:`newsweave.render.caps`).

    Returns:
        The page, with inline CSS and JavaScript and the cited articles embedded.

    Example:
        >>> from newsweave.models import Article, Briefing, Citation, SourceEntry, SummarySentence
        >>> a = Article("<script>alert(1)</script> Dockers walked out.", id="a1")
        >>> src = SourceEntry(1, "a1", "Harbor Wire", None, None, None, None)
        >>> s = SummarySentence("Dockers walked out.", (Citation("a1", 0, 26, 45),))
        >>> page = to_html(Briefing("Strike", (src,), (s,), articles=(a,)))
        >>> "<script>alert" in page, "&lt;script&gt;alert(1)" in page
        (False, True)
    """
    return _Page(briefing, caps).render()
