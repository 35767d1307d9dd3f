"""Fixed attribution patterns that the dependency rules do not see.

"according to X", possessive noun cues ("her remark that ..."), colon lines
("Reid: 'Never underestimate Trump.'") and dash-signed quotations
('"..." ― Sonya Herridge'). Each returns :class:`~newsweave.analyze.quotes_spans.Rel`
values for :func:`~newsweave.analyze.quotes_rules.find_attributions` to merge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsweave.analyze.entities import find_by_name
from newsweave.analyze.quotes_lexicon import NOUN_CUES
from newsweave.analyze.quotes_spans import Rel, paragraph, source_tokens, span_of, trim
from newsweave.models import Entity, Span


def noun_cues(doc: Any, text: str, in_quote: list[bool]) -> list[Rel]:
    """"her remark that ...", "his call for a ban", "Trump's claim that ...": a possessor speaks."""
    out = []
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in NOUN_CUES or in_quote[tok.i]:
            continue
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is None:
            continue
        comp = [c for c in tok.children if c.i > tok.i and (
            c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            or c.dep_ == "prep" and c.lower_ in ("for", "of", "to", "about") and tok.lemma_.lower() in (
                "call", "demand", "promise", "pledge", "plea", "request", "warning", "criticism", "proposal",
                "recommendation", "vow", "threat"))]
        if not comp:
            continue
        toks = [t for c in comp for t in c.subtree]
        if comp[0].dep_ == "prep":
            toks = [t for t in toks if t.i != comp[0].i]  # "call for X": X is the content
        span = span_of(toks)
        p0, p1 = paragraph(text, tok.idx)
        if span is None or span[0] < p0 or span[1] > p1:
            continue
        src = span_of(source_tokens(poss))
        out.append(Rel([tok.i], src, trim(text, span), tok, poss, how="noun"))
    return out


_COLON_LINE = re.compile(r"^[ \t]*((?:[A-Z][\w.'’-]*\s){0,3}[A-Z][\w.'’-]*)(:)[ \t]+(\S[^\n]*)$", re.M)


def colon_headlines(doc: Any, text: str, taken: list[Span], entities: Sequence[Entity]) -> list[Rel]:
    """'Reid: "Never underestimate Trump."': a name, a colon and a quotation opening a line."""
    out = []
    for m in _COLON_LINE.finditer(text):
        body = m.group(3)
        if not re.search(r"[\"“”«]|^[‘']|[’']$", body.strip()) or m.group(1).split()[0].lower() in (
            "note", "photo", "source", "update", "editor", "watch", "read", "related", "video", "image"
        ):
            continue
        start, end = m.start(3), m.end(3)
        if any(s <= start < e for s, e in taken):
            continue
        toks = [t for t in doc if m.start(1) <= t.idx < m.end(1)]
        if not toks or not any(t.pos_ == "PROPN" for t in toks):
            continue
        if any(t.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "NORP", "EVENT") for t in toks):
            continue  # "East Aleppo: '...'" is a dateline, not a speaker
        known = find_by_name(entities, m.group(1))
        if known is not None and known.label not in ("PERSON", "ORG"):
            continue
        colon = next((t for t in doc if t.idx == m.start(2)), None)
        if colon is None:
            continue
        head = max(toks, key=lambda t: t.i)
        out.append(Rel([colon.i], (m.start(1), m.end(1)), trim(text, (start, end)), colon, head, how="colon"))
    return out


_TRANSCRIPT_LINE = re.compile(
    r"^[ \t]*[\"“]?((?:[A-Z][A-Za-z.'’-]+[ \t]){0,2}[A-Z][A-Za-z.'’-]+)(:)[ \t]+(\S[^\n]*)$", re.M
)
_NOT_SPEAKER_LABELS = frozenset(
    ["q", "a", "note", "update", "editor's note", "editor’s note", "watch", "read", "read more", "related", "photo",
     "video", "source", "sources", "correction", "clarification", "advertisement", "image", "listen", "transcript",
     "warning", "credit", "credits", "caption", "see also", "more", "also", "disclaimer", "disclosure", "tags"]
)


def transcript_turns(doc: Any, text: str, taken: list[Span]) -> list[Rel]:
    """'WALLACE: Do you see those two as equivalent?', 'Ruth Amsel: We have the log.' A transcript's
    turns, each signed with its speaker's name: only where at least two speakers take two turns
    each. The speaker whose turns are mostly questions is the interviewer (noted ``interviewer``)."""
    found = [m for m in _TRANSCRIPT_LINE.finditer(text)
             if m.group(1).lower() not in _NOT_SPEAKER_LABELS and len(m.group(1).replace(".", "")) >= 3
             and (m.group(1).isupper() or all(w[:1].isupper() for w in m.group(1).split()))]
    turns: dict[str, list[re.Match[str]]] = {}
    for m in found:
        turns.setdefault(m.group(1), []).append(m)
    if sum(len(v) >= 2 for v in turns.values()) < 2:
        return []
    asking = {name for name, ms in turns.items()
              if sum(m.group(3).rstrip(" \"”’'").endswith("?") for m in ms) * 2 >= len(ms)}
    out = []
    for m in found:
        if len(turns[m.group(1)]) < 2 and not m.group(1).isupper():
            continue
        start, end = trim(text, (m.start(3), m.end(3)))
        if end <= start or any(s <= start < e for s, e in taken):
            continue
        colon = doc.char_span(m.start(2), m.end(2), alignment_mode="expand")
        name = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if colon is None or name is None:
            continue
        notes = {"transcript"} | ({"interviewer"} if m.group(1) in asking else set())
        out.append(Rel([colon[0].i], (m.start(1), m.end(1)), (start, end), colon[0], name[-1], how="colon",
                       notes=notes))
    return out


def according(doc: Any, text: str, in_quote: list[bool]) -> list[Rel]:
    """"according to X, CONTENT" and "CONTENT, according to X"."""
    out = []
    for tok in doc:
        if tok.lower_ != "according" or in_quote[tok.i] or tok.i + 1 >= len(doc):
            continue
        to = doc[tok.i + 1]
        if to.lower_ != "to":
            continue
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        src = span_of(source_tokens(pobj))
        sent = tok.sent
        phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree} | {tok.i, to.i}
        # Content: the rest of the clause the phrase modifies, within the sentence.
        head = tok.head if tok.head.i != tok.i else sent.root
        if head.i in phrase:
            head = sent.root
        toks = [t for t in head.subtree if t.i not in phrase and t.sent == sent]
        # "The ships wait: at least 14 were anchored, according to X": X vouches for its own clause only
        stops = [t.i for t in sent if t.text in (":", ";") and t.i not in phrase]
        before = [i for i in stops if i < tok.i]
        after = [i for i in stops if i > max(phrase)]
        toks = [t for t in toks if (not before or t.i > before[-1]) and (not after or t.i < after[0])]
        if not toks:
            continue
        lo, hi = span_of(toks) or (0, 0)
        # Keep to one side of the phrase: "A, according to X, B" takes the clause around it.
        out.append(Rel([tok.i, to.i], src, trim(text, (lo, hi)), tok, pobj, how="according"))
    return out


_DASH_SIGNATURE = re.compile(
    r"[^\S\n]*([―—–-]{1,2})[^\S\n]*((?:[A-Z][\w.'’-]*[^\S\n]?){1,5})(?=$|[,.;(\n])", re.M
)


def dash_signed(doc: Any, text: str, rels: list[Rel], qspans: list[tuple[int, int, bool]]) -> list[Rel]:
    """'"...." ― Sonya Herridge': a quotation signed with a dash and a name."""
    out: list[Rel] = []
    for qs, qe, _c in qspans:
        if any(r.content[0] < qe and qs < r.content[1] for r in rels):
            continue
        m = _DASH_SIGNATURE.match(text, qe)
        if not m:
            continue
        name = (m.start(2), m.start(2) + len(m.group(2).rstrip()))
        dash = next((t for t in doc if t.idx <= m.start(1) < t.idx + len(t.text)), None)
        head = next((t for t in doc if name[0] <= t.idx < name[1] and t.pos_ == "PROPN"), None)
        if dash is None or head is None:
            continue
        out.append(Rel([dash.i], name, (qs, qe), dash, head, how="dash"))
    return out
