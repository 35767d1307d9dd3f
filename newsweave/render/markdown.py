"""Markdown briefing: plain text a reader, an editor or a pipe can use.

Every statement ends with citation marks ``[1][3]``, the numbers of the
sources list. Sections the pipeline left empty are left out. On a terminal
:func:`print_briefing` renders the same Markdown with rich; in a pipe it
writes the Markdown unchanged, so tools never see ANSI codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from newsweave.models import Briefing, Citation, Fact
from newsweave.render.caps import DEFAULT_CAPS, FULL_NOTE, Caps, Selection, fit, more_note, plural, select
from newsweave.render.common import (
    DISPUTE_LABELS,
    STATUS_LABELS,
    CiteIndex,
    copy_note,
    date_label,
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

__all__ = ["to_markdown", "print_briefing"]

# Characters that would turn article text into Markdown syntax; brackets
# matter most, since "[2]" in a quote must not read as a citation.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^([#>+\-]|\d+\.)(\s)", re.M)


def escape(text: str) -> str:
    """Escape Markdown syntax in text taken from articles; newlines become spaces.

    >>> escape("He said [sic] *now*")
    'He said \\\\[sic\\\\] \\\\*now\\\\*'
    """
    text = " ".join(text.split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(r"\\\1\2", text)


def _marks(idx: CiteIndex, citations: Iterable[Citation]) -> str:
    return "".join(f"[{n}]" for n in idx.numbers(citations))


def _fact_line(idx: CiteIndex, fact: Fact) -> str:
    n_out = len(set(fact.articles)) or len(idx.numbers(fact.citations))
    extra = ""
    if n_out > 1:
        extra = f" _({n_out} outlets, {fact.independent} independent)_"
    return f"- {escape(fact.text)} {_marks(idx, fact.citations)}{extra}"


def _header(b: Briefing) -> list[str]:
    lines = [f"# {escape(b.title) or 'Briefing'}", ""]
    lines += [f"_{' · '.join(overview_bits(b))}_", ""]
    return lines


def _summary(b: Briefing, idx: CiteIndex) -> list[str]:
    if not b.summary:
        return []
    body = " ".join(
        (f"{escape(s.text)} {_marks(idx, s.citations)}"
         + (f" (in other words: {_marks(idx, s.paraphrases)})" if s.paraphrases else "")).rstrip()
        for s in b.summary
    )
    return ["## Summary", "", body, ""]


def _sources(b: Briefing) -> list[str]:
    if not b.sources:
        return []
    out = ["## Sources", ""]
    for s in sorted(b.sources, key=lambda e: e.number):
        parts = [f"**{escape(outlet_label(s))}**"]
        if s.title:
            parts.append(f"“{escape(s.title)}”")
        if s.date:
            parts.append(s.date[:10])
        line = f"{s.number}. " + ", ".join(parts)
        if s.url:  # only http(s) becomes a link; any other address is shown as text
            link = safe_url(s.url)
            line += f" <{link}>" if link else f" (address not linked: {escape(s.url)})"
        notes = [n for n in (copy_note(s, b.sources),) if n]
        if s.agencies:
            notes.append("agency copy: " + ", ".join(escape(a) for a in s.agencies))
        if notes:
            line += " — " + "; ".join(notes)
        out.append(line)
    groups = independent_groups(b.sources)
    if len(groups) < len(b.sources):
        shown = ", ".join("".join(f"[{e.number}]" for e in g) for g in groups)
        out += ["", f"Independent reports ({len(groups)}): {shown}"]
    out.append("")
    return out


def _more(hidden: int, what: str, extra: str = "", indent: str = "") -> list[str]:
    return [f"{indent}- _{more_note(hidden, what, extra)}_"] if hidden else []


def _timeline(b: Briefing, idx: CiteIndex, sel: Selection) -> list[str]:
    if not b.timeline:
        return []
    out = ["## Timeline", ""]
    for ev in sel.timeline.shown_items:
        said = ""
        if ev.expressions:
            said = " _(" + ", ".join(f"“{escape(e)}”" for e in ev.expressions) + ")_"
        out.append(f"- **{date_label(ev.date)}**: {escape(ev.text)} {_marks(idx, ev.citations)}{said}")
    out += _more(sel.timeline.hidden, "event")
    out.append("")
    return out


def _speakers(b: Briefing, idx: CiteIndex, sel: Selection) -> list[str]:
    if not b.speakers:
        return []
    out = ["## Who said what", ""]
    for pos in sel.speakers.shown:
        sp = b.speakers[pos]
        claims = sel.claims_of(pos)
        head = f"**{escape(sp.speaker)}**"
        if sp.role:
            head += f", {escape(sp.role)}"
        if sp.outlets:
            head += f" _(in {', '.join(escape(outlet_name(o, idx)) for o in sp.outlets)})_"
        out.append(f"- {head}")
        for cl in claims.shown_items:
            shown, marks = quote_text(cl.text, cl.direct and cl.stance == "asserts")
            shown = f"“{escape(shown)}”" if marks else escape(shown) + ("" if cl.direct else " _(reported)_")
            out.append(f"  - {shown} {_marks(idx, cl.citations)}")
        if claims.hidden:
            out.append(f"  - _and {claims.hidden} more_")
        if sp.variants_differ:
            out.append("  - _The outlets' versions of this speaker's words differ._")
    rest = sel.speakers.rest_items
    out += _more(len(rest), "speaker", plural(sum(len(sp.quotes) for sp in rest), "claim"))
    out.append("")
    return out


def _figures(b: Briefing, idx: CiteIndex, sel: Selection) -> list[str]:
    if not b.figures:
        return []
    out = ["## Figures", "", "| What | Figure | Given by | Date | Sources |", "|---|---|---|---|---|"]
    for entry in sel.figures.shown_items:
        status = STATUS_LABELS.get(entry.status, entry.status)
        if is_conflict(entry):
            status = f"**{status}**"
        for i, row in enumerate(ledger_rows(entry)):
            what = f"{escape(entry.counted)} ({status})" if i == 0 else "″"
            out.append(
                f"| {what} | {escape(figure_label(row, entry))} | {escape(row.by or '—')} | {escape(row.date or '')} | "
                f"{_marks(idx, row.citations)} |"
            )
    rest = sel.figures.rest_items
    if rest:
        out += [""] + _more(sum(len(ledger_rows(e)) for e in rest), "figure")
    out.append("")
    return out


def _agreement(b: Briefing, idx: CiteIndex, sel: Selection) -> list[str]:
    if not (b.disputes or b.corroborated or b.single_source):
        return []
    out = ["## Agreement and disputes", ""]
    if b.disputes:
        out += ["### Disputes", ""]
        for d in sel.disputes.shown_items:
            out.append(f"- **{DISPUTE_LABELS.get(d.kind, d.kind)}**: {escape(d.topic)}")
            for statement, cites in d.sides:
                out.append(f"  - {escape(statement)} {_marks(idx, cites)}")
        out += _more(sel.disputes.hidden, "dispute")
        out.append("")
    if b.corroborated:
        out += ["### Reported by several sources", ""]
        out += [_fact_line(idx, f) for f in sel.corroborated.shown_items]
        out += _more(sel.corroborated.hidden, "fact")
        out.append("")
    if b.single_source:
        out += ["### Reported by one source only", ""]
        out += [_fact_line(idx, f) for f in sel.single_source.shown_items]
        out += _more(sel.single_source.hidden, "fact")
        out.append("")
    return out


def _coverage(b: Briefing, idx: CiteIndex, sel: Selection) -> list[str]:
    items = [(k, sel.coverage[k]) for k, v in b.coverage.items() if v and k in sel.coverage]
    if not items:
        return []
    out = ["## Coverage", "", "What each outlet reported that the others did not, beyond what is shown above.", ""]
    quiet = []
    for outlet, cut in items:
        name = escape(outlet_name(outlet, idx))
        if not cut.shown:
            quiet.append(f"{name} ({cut.hidden})")
            continue
        out += [f"### {name}", ""]
        out += [_fact_line(idx, f) for f in cut.shown_items]
        out += _more(cut.hidden, "fact")
        out.append("")
    if quiet:
        out += [f"_Also only theirs, shown above or in the full briefing: {', '.join(quiet)}._", ""]
    return out


def _changes(b: Briefing, idx: CiteIndex) -> list[str]:
    """``brief --since``: what the new reports added, each item cited."""
    ch = b.changes
    if ch is None:
        return []
    out = [f"## What changed since {escape(ch.since)}", ""]
    if not ch.new_articles:
        return out + ["No new reports since then.", ""]
    n = len(ch.new_articles)
    out += [f"{n} new report{'s' if n != 1 else ''}.", ""]
    if ch.facts:
        out += ["**New facts**", ""] + [_fact_line(idx, f) for f in ch.facts] + [""]
    if ch.figures:
        out += ["**Figures that changed**", ""]
        for fc in ch.figures:
            before = "; ".join(f"{escape(t)}{_marks(idx, [c])}" for t, c in fc.before)
            after = "; ".join(f"{escape(t)}{_marks(idx, [c])}" for t, c in fc.after)
            out.append(f"- {escape(fc.counted)}: {after} (before: {before})")
        out.append("")
    if ch.disputes:
        out += ["**New disputes**", ""]
        for d in ch.disputes:
            sides = " / ".join(f"{escape(st)}{_marks(idx, c)}" for st, c in d.sides)
            out.append(f"- {escape(d.topic)}: {sides}")
        out.append("")
    if ch.speakers:
        out += ["**New voices and statements**", ""]
        for sp in ch.speakers:
            for q in sp.quotes:
                said = f"“{escape(q.text)}”" if q.direct else escape(q.text)
                out.append(f"- {escape(sp.speaker)}: {said}{_marks(idx, q.citations)}")
        out.append("")
    if len(out) == 4:
        out += ["The new reports repeat what was already known.", ""]
    return out


def to_markdown(briefing: Briefing, caps: Caps = DEFAULT_CAPS) -> str:
    """Render a briefing as Markdown.

    Args:
        briefing: the briefing; empty sections are left out.
        caps: how many items each long section shows and the word budget
            (:mod:`newsweave.render.caps`); ``NO_CAPS`` shows everything.

    Returns:
        The Markdown text, ending with a newline.

    Example:
        >>> from newsweave.models import Briefing, Citation, SourceEntry, SummarySentence
        >>> src = SourceEntry(1, "a1", "Harbor Wire", "Dockers strike", "2026-03-10", None, None)
        >>> s = SummarySentence("Dockers walked out.", (Citation("a1", 0, 0, 19),))
        >>> print(to_markdown(Briefing("Dockers strike", (src,), (s,))).splitlines()[6])
        Dockers walked out. [1]
    """
    caps = fit(briefing, caps, lambda c: len(_render(briefing, c).split()))
    return _render(briefing, caps)


def _render(briefing: Briefing, caps: Caps) -> str:
    idx = CiteIndex(briefing)
    sel = select(briefing, caps)
    lines = _header(briefing)
    if sel.hidden:
        lines += [f"_{FULL_NOTE}_", ""]
    lines += _changes(briefing, idx)
    lines += _summary(briefing, idx)
    lines += _sources(briefing)
    lines += _timeline(briefing, idx, sel)
    lines += _speakers(briefing, idx, sel)
    lines += _figures(briefing, idx, sel)
    lines += _agreement(briefing, idx, sel)
    lines += _coverage(briefing, idx, sel)
    if briefing.notes:
        lines += ["## Notes", ""] + [f"- {escape(n)}" for n in briefing.notes] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def print_briefing(briefing: Briefing, file: TextIO, caps: Caps = DEFAULT_CAPS) -> None:
    """Print a briefing: rich-rendered on a terminal, plain Markdown in a pipe.

    Args:
        briefing: the briefing to print.
        file: where to write; rich is used only when ``file.isatty()``.
        caps: as for :func:`to_markdown`.
    """
    text = to_markdown(briefing, caps)
    isatty = getattr(file, "isatty", None)
    if not (callable(isatty) and isatty()):
        file.write(text)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    Console(file=file, soft_wrap=False).print(Markdown(text, hyperlinks=True))
