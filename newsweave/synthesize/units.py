"""Fact units: the pieces of a sentence that each state one thing.

A news sentence often states two or three facts at once: "Members of the
union walked out at 6 a.m. on Monday after pay talks with Kestrel, which runs
the port's two terminals, broke down" says that the workers walked out, that
the talks broke down, and who runs the terminals. Another article may state
only one of them. The fact model (:mod:`newsweave.synthesize.align`) therefore
compares sentences unit by unit, so a sentence that states two facts is
matched with every article that states either.

:func:`units` cuts a sentence into its units with regular expressions (no
model, so the cold CLI stays fast):

* coordinated clauses (:func:`newsweave.synthesize.clauses.clauses`: "; ",
  ", while", ", but");
* parenthetical relative clauses (", which runs the port," / ", who has led
  the union since 2019,"): the relative clause is a unit, and the clause
  around it is read without it ("Kestrel, which runs the port, has offered
  4.5%" -> "Kestrel has offered 4.5%");
* subordinate and reported clauses ("after ...", "as ...", "while ...",
  ", saying ...", ", and that ...").

A piece too short to state anything (fewer than :data:`MIN_UNIT_WORDS` content
words) stays with its neighbour. A sentence with several units also keeps
itself whole as a unit, so two sentences that say the same thing across
their clauses still meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsweave.synthesize.clauses import clauses, strip_dateline
from newsweave.synthesize.lexical import STOPWORDS, words
from newsweave.synthesize.lexicon import has_finite_verb

__all__ = ["Unit", "units", "MIN_UNIT_WORDS", "background"]

#: A unit states something when it has this many content words.
MIN_UNIT_WORDS = 3

_RELATIVE = re.compile(r",\s+(?:which|who|whom|whose|where)\b[^,;:“”\"()]*(?=,|$)")
_APPOSITIVE_ROLE = re.compile(r",\s+(?:the|a|an)\s+[^,;:“”\"()]{2,60}?(?=,)")
_SUBORDINATE = re.compile(
    r",?\s+(?=(?:after|before|as|while|because|when|since|until|amid|following|whereas|although|though)\s)"
    r"|,\s+(?=[a-z]+ing\s)"  # a participle: ", killing at least 23 people", ", saying ..."
    r"|,?\s+and\s+(?=(?:that|said|says|added|insisted|denied|accused|called)\s)"
    r"|\s+and\s+(?=(?:would|will|could|can|must|should|might)\s)"
    r"|,\s+and\s+(?=(?:the|a|an|[A-Z])\w*(?:\s+[\w'’-]+){0,3}\s+(?:is|are|was|were|has|have|had|will|would|said|says)\b)"
)


_LEADING = re.compile(
    r"^\W*(?:when|after|before|as|while|since|although|though|because|once|until)\s[^,;:“”\"()]{8,120}?,(?=\s)", re.I
)


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of a sentence: its text (pieces joined by a space) and the
    span of the sentence it lies in (``start`` to ``end``, relative)."""

    text: str
    start: int
    end: int
    whole: bool = False  # the whole sentence, kept beside its parts


_PREPOSITIONAL = frozenset(["after", "before", "as", "since", "until", "amid", "following", "during"])


def background(text: str) -> bool:
    """Whether a unit is a phrase of background: opened by a word that is
    also a preposition, with no finite verb after it ("after weeks of
    intense fighting", "after surviving weeks of shelling"), as against a
    clause that states something ("after talks broke down"). Such a phrase
    sets a scene many sentences share; it states no fact of its own.

    >>> background("after weeks of intense fighting and air raids."), background("after pay talks broke down")
    (True, False)
    """
    ws = words(text)
    return bool(ws) and ws[0] in _PREPOSITIONAL and not has_finite_verb(ws[1:])


def _content_words(text: str) -> int:
    return sum(1 for w in words(text) if w not in STOPWORDS and len(w) > 1)


def _pieces(text: str, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """Units of one clause ``text[lo:hi]``: relative clauses lifted out, then
    subordinate clauses cut off."""
    seg = text[lo:hi]
    out: list[tuple[str, int, int]] = []
    holes: list[tuple[int, int]] = []
    for m in _RELATIVE.finditer(seg):
        body = m.group()[1:].strip()
        if _content_words(body) >= MIN_UNIT_WORDS:
            b0 = lo + m.start() + 1 + (len(m.group()[1:]) - len(m.group()[1:].lstrip()))
            out.append((body, b0, lo + m.end()))
            # "where families have slept since the river burst its banks": its clauses too.
            cuts = [c.start() for c in _SUBORDINATE.finditer(body) if c.start() > 0]
            for x, y in zip([0, *cuts], [*cuts, len(body)]):
                piece = body[x:y].strip(" ,;")
                if len(cuts) and _content_words(piece) >= MIN_UNIT_WORDS:
                    off = body.find(piece, x)
                    out.append((piece, b0 + off, b0 + off + len(piece)))
        end = m.end() + 1 if seg[m.end() : m.end() + 1] == "," else m.end()
        holes.append((m.start(), end))
    # The clause read without its relative clauses (and role appositives):
    # "Kestrel, which runs the port, has offered 4.5%" -> "Kestrel has offered 4.5%".
    main_parts: list[tuple[int, int]] = []
    pos = 0
    for s, e in holes:
        main_parts.append((pos, s))
        pos = e
    main_parts.append((pos, len(seg)))
    main = "".join(seg[s:e] for s, e in main_parts)
    offsets = [i for s, e in main_parts for i in range(s, e)]
    cuts = [0] + [m.start() for m in _SUBORDINATE.finditer(main) if m.start() > 0] + [len(main)]
    lead = _LEADING.match(main)
    if lead:  # "When the morning shift downed tools at 6 a.m., it ended 23 years of peace"
        cuts = sorted({*cuts, lead.end()})
    pieces: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:]):
        if b <= a:
            continue
        if pieces and _content_words(main[a:b]) < MIN_UNIT_WORDS:
            pieces[-1] = (pieces[-1][0], b)  # too short to state anything: stays with the piece before
        else:
            pieces.append((a, b))
    if len(pieces) > 1 and _content_words(main[pieces[0][0]:pieces[0][1]]) < MIN_UNIT_WORDS:
        pieces[1] = (pieces[0][0], pieces[1][1])
        pieces.pop(0)
    for a, b in pieces:
        piece = main[a:b].strip(" ,;")
        if not piece or not offsets:
            continue
        s = lo + offsets[min(a, len(offsets) - 1)]
        e = lo + offsets[min(b, len(offsets)) - 1] + 1
        out.append((" ".join(piece.split()), s, e))
    return out


def units(text: str) -> list[Unit]:
    """The fact units of a sentence, in reading order; the whole sentence
    last when it has more than one.

    >>> t = "Members walked out at 6 a.m. on Monday after pay talks with Kestrel, which runs two terminals, broke down."
    >>> [u.text for u in units(t)][:3]
    ['Members walked out at 6 a.m. on Monday', 'after pay talks with Kestrel broke down.', 'which runs two terminals']
    >>> [u.text for u in units("The union says 4,000 joined; the authority says 1,200 did.")][:2]
    ['The union says 4,000 joined', 'the authority says 1,200 did.']
    """
    return list(_units(text))


@lru_cache(maxsize=16384)  # Units are immutable; alignment and the summary split the same sentences
def _units(text: str) -> tuple[Unit, ...]:
    cut = strip_dateline(text)  # "MARROWICK, March 10 (CPA) - " is no part of any unit
    found: list[tuple[str, int, int]] = []
    for lo, hi in clauses(text[cut:]):
        found.extend(_pieces(text, cut + lo, cut + hi))
    found.sort(key=lambda t: (t[1], t[2]))
    out = [Unit(t, s, e) for t, s, e in found if _content_words(t) >= 1]
    if len(out) != 1:
        out.append(Unit(" ".join(text[cut:].split()), cut, len(text), whole=True))
    else:
        out = [Unit(out[0].text, cut, len(text), whole=True)]
    return tuple(out)
