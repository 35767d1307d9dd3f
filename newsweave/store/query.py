"""Search queries: what the user typed -> a full-text query that always parses.

Hyphenated words are a trap for full-text search: the index splits
"cease-fire" into two words, FTS5 reads a bare ``cease-fire`` as syntax, and
"ceasefire" never meets "cease-fire". So both sides are normalised:

* at index time, :func:`compounds` lists each hyphenated word of an article
  with its closed form (``("ceasefire", "cease fire")``); the store keeps
  them in a small ``compounds`` table;
* at query time, :func:`build_query` turns ``cease-fire`` into
  ``("cease fire" OR ceasefire)``, and a plain word that some article wrote
  with hyphens (``ceasefire``) into ``(ceasefire OR "cease fire")``.

The user's own syntax is kept: ``"exact phrases"``, ``AND``/``OR``/``NOT``,
parentheses, ``prefix*`` and ``title:word``. Any other word with punctuation
is quoted, so "U.N." or "9/11" search instead of failing. Nothing here is
SQLite-specific except the FTS5 syntax itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

__all__ = ["COLUMNS", "build_query", "compounds", "plain_query"]

COLUMNS = ("title", "text")
_HYPHENS = "\\-\u2010\u2011"  # for character classes
# Letters (any script) joined by hyphens: "cease-fire", "al-Assad", "state-of-the-art".
_COMPOUND = re.compile(rf"(?<![\w{_HYPHENS}])[^\W\d_]+(?:[{_HYPHENS}][^\W\d_]+)+(?![\w{_HYPHENS}])")
_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
_BARE = re.compile(r"^\w+$")
_OPERATORS = ("AND", "OR", "NOT")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # SQLite cuts a string at NUL; none of these is a word
Lookup = Callable[[str], Iterable[str]]


def _norm(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def compounds(text: str) -> set[tuple[str, str]]:
    """Hyphenated words of ``text`` as ``(closed form, spaced form)``, folded to lower case.

    >>> sorted(compounds("The cease-fire held; al-Assad's forces and a Cease-Fire line."))
    [('alassad', 'al assad'), ('ceasefire', 'cease fire')]
    """
    out = set()
    for m in _COMPOUND.finditer(text):
        parts = re.split(f"[{_HYPHENS}]", _norm(m.group()))
        out.add(("".join(parts), " ".join(parts)))
    return out


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _word(word: str, lookup: Lookup | None) -> str:
    prefix = word.endswith("*") and len(word) > 1
    core = word[:-1] if prefix else word
    if not prefix and _COMPOUND.fullmatch(core):
        parts = re.split(f"[{_HYPHENS}]", core)
        return f'({_quote(" ".join(parts))} OR {_quote("".join(parts))})'
    if _BARE.match(core):
        if prefix:
            return core + "*"
        spaced = sorted(set(lookup(_norm(core)))) if lookup else []
        if spaced:
            return "(" + " OR ".join([core] + [_quote(s) for s in spaced]) + ")"
        return core
    return _quote(core) + (" *" if prefix else "")


def build_query(query: str, lookup: Lookup | None = None) -> str:
    """The FTS5 query for what the user typed.

    Args:
        query: the user's words and syntax.
        lookup: closed form -> spaced forms stored at index time (the store's
            ``compounds`` table); None skips that expansion.

    >>> build_query('cease-fire "eastern Aleppo" OR title:U.N.')
    '("cease fire" OR "ceasefire") AND "eastern Aleppo" OR title:"U.N."'
    >>> build_query('talks title:cease-fire')
    'talks AND title:("cease fire" OR "ceasefire")'
    >>> build_query("ceasefire talks", lambda w: ["cease fire"] if w == "ceasefire" else [])
    '(ceasefire OR "cease fire") AND talks'
    """
    out: list[str] = []
    for tok in _TOKEN.findall(_CONTROL.sub(" ", query)):
        if tok.startswith('"'):
            body = tok[1:-1] if len(tok) > 1 and tok.endswith('"') else tok[1:]
            item = _quote(body)
        elif tok in ("(", ")") or tok in _OPERATORS:
            item = tok
        elif ":" in tok and tok.split(":", 1)[0].lower() in COLUMNS and tok.split(":", 1)[1]:
            col, rest = tok.split(":", 1)
            item = f"{col.lower()}:{_word(rest, lookup)}"
        else:
            item = _word(tok, lookup)
        # FTS5 joins two phrases by an implicit AND, but not a bracket and a
        # phrase: "(a OR b) c" is a syntax error, so AND is always written out.
        if out and out[-1] not in _OPERATORS and out[-1] != "(" and item not in _OPERATORS and item != ")":
            out.append("AND")
        out.append(item)
    return " ".join(out)


def plain_query(query: str) -> str:
    """The words alone, each quoted, without operators or brackets: the
    fallback when the user's syntax does not parse.

    >>> plain_query("NOT (ceasefire"), plain_query("OR")
    ('"ceasefire"', '')
    """
    words = [w for w in re.findall(r'[^\s()"]+', _CONTROL.sub(" ", query)) if w not in _OPERATORS]
    return " ".join(_quote(w) for w in words)
