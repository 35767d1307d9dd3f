"""Agreement views of the fact model: corroborated facts and the single-source list.

Both are views of :func:`newsweave.synthesize.align.align_facts`: they filter
and order facts, never re-decide what a fact is, and since the fact model's
support relation is symmetric a fact cannot be corroborated in one and
single-source in the other.

* :func:`corroborated_facts`: facts two or more independent reports state,
  each shown once (every sentence represents a fact, so a fact stated in
  five articles is represented five times);
* :func:`single_source_facts`: facts one article states, with no close
  sentence in another report (``Fact.related``: the same source, a rare
  shared name, a looser match), that a reader can check alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsweave.models import Fact, SourceEntry
from newsweave.synthesize.clauses import is_bare_quote, is_credit, needs_antecedent
from newsweave.synthesize.lexical import names_and_numbers
from newsweave.synthesize.sources import independent_count

__all__ = ["single_source_facts", "corroborated_facts", "standalone"]

_PRONOUN_SPEAKER = re.compile(r"[”\"],?\s+(?:he|she|they|it)\s+(?:said|says|added|told)\b", re.I)
_PERSONAL = re.compile(r"\b(?:I|you|your|we|our|us|me|my)\b", re.I)
_TRANSCRIPT = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}:\s")


def _outside_quotes(text: str) -> str:
    return re.sub(r"[“\"][^”\"]*[”\"]", " ", text)


def standalone(text: str) -> bool:
    """A statement a reader can check alone: it names someone or gives a
    number, opens without pointing back ("But ...", "He ..."), and is neither
    a question, a credit line, a speakerless quotation, a quotation whose
    speaker is only "he" or "she", a line of an interview transcript, nor
    a sentence speaking as "I", "we" or "you" outside quotation marks.

    >>> standalone("Mayor Ana Ruiz met both sides on Tuesday."), standalone('"We will sail," she said.')
    (True, False)
    """
    t = text.strip()
    if t.endswith(("?", "?\"", "?”")) or is_bare_quote(t) or needs_antecedent(t) or is_credit(t):
        return False
    if _PRONOUN_SPEAKER.search(t) or _TRANSCRIPT.match(t) or _PERSONAL.search(_outside_quotes(t)):
        return False
    return bool(names_and_numbers(t))


def single_source_facts(facts: Sequence[Fact], sources: Sequence[SourceEntry]) -> tuple[Fact, ...]:
    """Facts that only one article states, best scored first.

    A fact with a close sentence in another report (``Fact.related``) is left
    out: it may be stated there in words the same-fact test could not match,
    and calling it single-source would then be wrong.
    """
    out = [f for f in facts if len(f.articles) == 1 and not f.related and standalone(f.text)]
    return tuple(sorted(out, key=lambda f: -f.score))


def corroborated_facts(facts: Sequence[Fact], sources: Sequence[SourceEntry]) -> tuple[Fact, ...]:
    """Facts stated by two or more independent reports, most corroborated first.

    Every sentence represents a fact in the fact model, so one fact stated
    in five articles is represented five times: a fact whose sentence
    already supports one listed is left out.
    """
    scored = [(independent_count(f.articles, sources), f) for f in facts]
    ranked = sorted(((n, f) for n, f in scored if n >= 2), key=lambda t: (-t[0], -t[1].score, t[1].id))
    out: list[Fact] = []
    shown: set[tuple[str, int]] = set()
    for _, f in ranked:
        keys = {(c.article_id, c.sentence_index) for c in (*f.citations, *f.paraphrases)}
        if f.citations and (f.citations[0].article_id, f.citations[0].sentence_index) in shown:
            continue
        out.append(f)
        shown |= keys
    return tuple(out)

