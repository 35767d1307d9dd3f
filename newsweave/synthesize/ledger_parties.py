"""Who gave a figure, named one way across a story: "UN", "U.N." and "United
Nations" are one party, so are "HDWU" and "the Harbour and Dock Workers' Union
(HDWU)", "port authority" and "Marrowick Port Authority", "Abdurrahman" and
"Rami Abdurrahman".

A short name becomes the story's long name when it is an acronym of it (or
one from a small table of common ones), a case-insensitive word suffix of
exactly one long name, or a capitalised word found in exactly one long
organisation name. A person whose role names a party ("Ilse Brandt, a
spokeswoman for the port authority") speaks for that party: two figures from
them are not two sides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsweave.models import Entity

__all__ = ["Parties", "ACRONYMS"]

# Common acronyms a story may use without spelling them out.
ACRONYMS = {
    "UN": "United Nations", "EU": "European Union", "US": "United States", "UK": "United Kingdom",
    "WHO": "World Health Organization", "UNHCR": "UN refugee agency", "ICRC": "International Committee of the Red Cross",
    "NATO": "NATO", "IMF": "International Monetary Fund", "OCHA": "UN humanitarian office",
    "UNICEF": "UNICEF", "MSF": "Medecins Sans Frontieres", "SOHR": "Syrian Observatory for Human Rights",
}  # fmt: skip
_SMALL = frozenset(["of", "and", "for", "the", "de", "du", "la", "le", "des", "in", "on", "at", "to", "&"])
_AGENT = re.compile(
    r"^(?:(?:a|an|the)\s+)?([\w'’. -]+?)\s+(?:spokes(?:man|woman|person)|officials?|sources?|leaders?|negotiators?|"
    r"representatives?|managers?|chief|secretary|lawyers?|statement)$",
    re.I,
)
_PAREN_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z.&]{1,9})\)\s*$")


def _clean(name: str) -> str:
    name = re.sub(r"\s*\([^)]*$", "", re.sub(r"\s+", " ", name))  # an acronym cut off: "Union (HDWU"
    name = name.strip(" ,;:.'\"“”")
    return re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", name)


def _acronym_of(name: str) -> str:
    words = [w for w in re.findall(r"[\w'’-]+", name) if w.lower() not in _SMALL]
    return "".join(w[0] for w in words if w[:1].isupper()).upper()


def _is_acronym(name: str) -> str | None:
    bare = name.replace(".", "")
    return bare if 2 <= len(bare) <= 8 and bare.isupper() and bare.isalpha() else None


class Parties:
    """Normalised names of the parties that give figures in one story.

    >>> p = Parties(["U.N.", "United Nations", "Marrowick Port Authority", "port authority"], [])
    >>> p.display("UN"), p.display("the port authority"), p.key("U.N.") == p.key("United Nations")
    ('United Nations', 'Marrowick Port Authority', True)
    """

    def __init__(self, names: Iterable[str], entities: Iterable[Entity] = ()) -> None:
        self._long: list[str] = []
        self._acr: dict[str, str] = {}
        self._role_party: dict[str, str] = {}
        people: list[tuple[str, str]] = []
        pool = []
        self._given: set[str] = set()
        for n in names:
            pool.append(n)
            self._given.add(_clean(n).lower())
        for e in entities:
            if e.label in ("ORG", "PERSON", "GPE", "NORP"):
                pool.append(e.name)
                if e.label == "PERSON" and e.role:
                    people.append((e.name, e.role))
        for raw in pool:
            m = _PAREN_ACRONYM.search(raw)
            if m:
                base = _clean(raw[:m.start()])
                self._acr[m.group(1).replace(".", "").upper()] = base
                raw = base
            name = _clean(raw)
            if len(name.split()) >= 2 and name[:1].isupper() and name not in self._long:
                self._long.append(name)
        for name in self._long:
            acr = _acronym_of(name)
            if len(acr) >= 2 and acr not in self._acr:
                self._acr[acr] = name
        self._cache: dict[str, str] = {}
        for person, role in people:
            party = self._party_in(role)
            if party:
                self._role_party[self.display(person).lower()] = party

    def _party_in(self, role: str) -> str | None:
        """The long party name a role mentions ("spokeswoman for the port authority")."""
        low = role.lower()
        for name in sorted(self._long, key=len, reverse=True):
            if name.lower() in low:
                return name
        for pat in (r"\b(?:for|of|at)\s+(?:the\s+)?([\w'’ -]+)$", r"^(?:the\s+)?([\w -]+?)['’]s\b"):
            m = re.search(pat, role)
            if m:
                cand = self.display(m.group(1))
                if cand in self._long:
                    return cand
        return None

    def display(self, name: str) -> str:
        """The story's fullest name for a party."""
        if name in self._cache:
            return self._cache[name]
        out = self._display(name)
        self._cache[name] = out
        return out

    def _display(self, name: str) -> str:
        whole = _clean(_PAREN_ACRONYM.sub("", name))
        longest = self._longest_with_suffix(whole)
        if longest:
            return longest
        if any(n.lower() == whole.lower() for n in self._long):
            return next(n for n in self._long if n.lower() == whole.lower())
        parts = re.split(r"\s+(?:and|&)\s+", whole)
        if len(parts) == 2 and all(_clean(p) and (self._known(_clean(p)) or len(_clean(p).split()) >= 2) for p in parts):
            return " and ".join(self._display(p) for p in parts)  # "the UN and Amnesty International"
        m = _PAREN_ACRONYM.search(name)
        if m:
            name = name[:m.start()]
        name = _clean(name)
        if not name:
            return name
        acr = _is_acronym(name)
        if acr:
            return self._acr.get(acr) or ACRONYMS.get(acr) or name
        m2 = re.match(r"^(U\.?N\.?|UN)\s+(.+)$", name)  # "U.N. Commission of Inquiry" keeps its words
        if m2:
            name = f"UN {m2.group(2)}"
        low = name.lower()
        longest = self._longest_with_suffix(name)
        if longest:
            return longest
        if len(name.split()) == 1 and name[:1].isupper():
            holders = [n for n in self._long if re.search(rf"\b{re.escape(name)}\b", n)]
            if len(holders) > 1:  # "Kestrel": the one of "Kestrel Terminals", "Kestrel Holdings" that gives figures
                holders = [n for n in holders if n.lower() in self._given]
            if len(holders) == 1:
                return holders[0]
        for n in self._long:
            if n.lower() == low:
                return n
        return name

    def _longest_with_suffix(self, name: str) -> str | None:
        """The one long name that ends with ``name`` ("service" -> "National Civil Protection Service";
        "Civil Protection Service" too), when the candidates are all one name."""
        low = name.lower()
        longer = [n for n in self._long if n.lower() != low and n.lower().endswith(" " + low)]
        if not longer:
            return None
        top = max(longer, key=len)
        return top if all(top.lower().endswith(n.lower()) for n in longer) else None

    def _known(self, name: str) -> bool:
        return bool(_is_acronym(name)) or any(n.lower() == name.lower() for n in self._long)

    def key(self, name: str) -> str:
        """A comparison key: the party a speaker stands for, lower-cased.

        >>> Parties(["Harbour and Dock Workers' Union"]).key("a union spokesman")
        "harbour and dock workers' union"
        """
        disp = self.display(name)
        m = _AGENT.match(disp)
        if m and m.group(1).lower() not in ("a", "an", "the"):
            disp = self.display(m.group(1))  # "a union spokesman" speaks for the union
        return self._role_party.get(disp.lower(), disp).lower()
