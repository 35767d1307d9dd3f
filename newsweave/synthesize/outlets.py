"""Source identity: who published an article, and whose agency copy it carries.

An article names its outlet and its agencies in a few conventional places,
read here in this order of trust:

* metadata given with the article (a JSONL ``source``, an HTML page's
  ``og:site_name`` or JSON-LD publisher, a closing ``Source:`` line), which
  ingest has already put in :attr:`Article.source`;
* a **credit line** ("(Reporting by Anika Sorell; Editing by Tom Hale)",
  "Reporting by Coastline Press Agency; additional reporting by Harbour Daily
  staff", "Agence France-Presse contributed to this report");
* a **byline** ("By Jane Roe, The Harrow Weekly", "By Associated Press", or the
  page's author metadata);
* a wire **dateline** ("BEIRUT (Reuters) -", "TARROW, March 3 (XNA) -"),
  which names the agency whose copy the article is;
* the URL's domain, the outlet of last resort.

Agency *copy* and agency *citation* are told apart. An article is (partly)
an agency's copy when a dateline, a credit line or a byline names the agency,
or when the agency's own staff speak in it ("told AFP", "an AFP
correspondent saw", "a Reuters witness"): that is how an agency writes its
own copy. An article that only cites an agency ("Reuters reported",
"according to AFP", "the Interfax news agency said", "told Anadolu news
agency") is not its copy: it is the outlet's own report quoting another.
Copies shared between outlets are found apart from all this, by shared
passages (:mod:`newsweave.synthesize.sources`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from newsweave.models import Article

__all__ = [
    "AgencyCredits",
    "agency_display",
    "agency_key",
    "agency_names",
    "agency_credits",
    "classify_credits",
    "identify_outlet",
    "is_agency_name",
]

# Known agencies, canonical name first. "AP" only in contexts that cannot be
# an abbreviation of something else.
KNOWN_AGENCIES: tuple[tuple[str, str], ...] = (
    ("Reuters", r"Reuters"),
    ("AP", r"Associated Press|AP"),
    ("AFP", r"AFP|Agence France[- ]Presse"),
    ("Anadolu", r"Anadolu(?: Agency)?"),
    ("Interfax", r"Interfax"),
    ("Xinhua", r"Xinhua"),
    ("TASS", r"TASS"),
    ("dpa", r"dpa|Deutsche Presse-Agentur"),
    ("EFE", r"EFE"),
    ("UPI", r"UPI|United Press International"),
    ("PA", r"PA Media|Press Association"),
    ("ANSA", r"ANSA"),
    ("Kyodo", r"Kyodo"),
    ("Yonhap", r"Yonhap"),
)
# Short names that are also ordinary abbreviations: counted only in a credit's context.
_AMBIGUOUS = frozenset({"AP", "PA"})
_CANON = {c.casefold(): c for c, _ in KNOWN_AGENCIES}
_KNOWN_FULL = [(c, re.compile(rf"(?:{p})", re.I if c not in ("AP", "PA", "dpa") else 0)) for c, p in KNOWN_AGENCIES]

# Words that make a name an organisation rather than a person.
_AGENCY_WORDS = r"Agency|Press|Presse|Wire|Newswire|News Service|Agencia|Agenzia|Agentur"
_ORG_WORDS = (
    _AGENCY_WORDS + r"|News|Times|Post|Daily|Herald|Gazette|Radio|Television|TV|Journal|Tribune|Ledger|Star"
    r"|Observer|Review|Weekly|Courier|Chronicle|Telegraph|Guardian|Network|Media|Broadcasting|Mail|Express"
    r"|Standard|Record|Bulletin|Monitor|Sentinel|Examiner|Dispatch|Inquirer|Register|Mirror|Independent"
    r"|Globe|Sun|Magazine|Channel|Online|Lantern|Voice|Report|Digest"
)
_AGENCY_NAME = re.compile(rf"\b(?:{_AGENCY_WORDS})\b")
_AGENCY_FULL = re.compile(rf"\b((?:[A-Z][\w'’-]+\s+){{1,3}}(?:{_AGENCY_WORDS}))\b(?:\s+\(([A-Z]{{2,6}})\))?")
_ORG_NAME = re.compile(rf"\b(?:{_ORG_WORDS})\b")
_ACRONYM = re.compile(r"[A-Z]{2,6}")
_STAFF = re.compile(r"\s+(?:staff|staffers|correspondents?|reporters?|bureaus?|newsroom|journalists|team)\s*$", re.I)
_IN_PLACE = re.compile(r"\s+(?:in|from)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s*$")

# "ALEPPO, Syria (AP) —", "BEIRUT, Dec. 14 (Reuters) -", "TARROW, March 3 (XNA) -".
_DATELINE = re.compile(
    r"^(?:[ \t]*date\s+\d{4}-\d\d-\d\d\S*\s+)?[ \t]*"
    r"(?:[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?\.?(?:\s+\d{1,2})?){0,2}\s*)?"
    r"\(([A-Z][\w .&'’-]{0,38}?)\)\s*[-–—]",
    re.M,
)
_CREDIT_LINE = re.compile(
    r"^[ \t]*[(\[]?[ \t]*(?:with\s+)?(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b[^\n]*$",
    re.I | re.M,
)
_CREDIT_HINTS = ("reporting by", "writing by", "editing by", "compiled by", "translated by", "contributed")
_CONTRIBUTED = re.compile(r"^[^\n]{0,80}?\b([A-Z][\w .&'’-]{1,50}?)\s+contributed\s+(?:reporting\s+)?to\s+this\s+report", re.M)
_BYLINE = re.compile(r"^[ \t]*By[ \t]+([^\n]{2,100})$", re.M)
_SPLIT_NAMES = re.compile(r"\s*(?:[,;|/·•]|\s[-–—]\s|\band\b|&)\s*")

# Citations of an agency by another outlet: the agency is a source quoted,
# not the author of the copy.
_CITE_BEFORE = r"(?:according\s+to|cited\s+by|quoted\s+by|reported\s+by|speaking\s+to|told)\s+(?:the\s+|[A-Z][\w’']*['’]s\s+)?"
_CITE_AFTER = r"\s+(?:news\s+agency|reported|reports|said|says|quoted|cited|added|wrote|carried|reporting)\b"
# The agency's own staff or tally: written like this only in its own copy.
_OWN_STAFF = r"\s+(?:correspondent|reporter|journalist|photographer|cameraman|witness|team|count|tally|crew)s?\b"
# Photo and video credits name an image's source, not the text's.
_MEDIA_CREDIT = re.compile(
    r"\[[^\]\n]{0,80}/[^\]\n]{1,40}\]|\b[A-Z][\w.]*\s*(?:Photo|Video|TV|Images?|Pictures)\b"
    r"|\([A-Z][\w .&-]{0,30}\)\s*$",
    re.M,
)


@dataclass(frozen=True, slots=True)
class AgencyCredits:
    """The agencies an article names: whose ``copy`` it carries, whom it ``cites``."""

    copy: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()


def _canon(name: str) -> str:
    name = name.strip(" .,'’\"()")
    if name.casefold().startswith("the "):
        name = name[4:]
    for canon, pat in _KNOWN_FULL:
        if pat.fullmatch(name):
            return canon
    return _CANON.get(name.casefold(), name)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isupper())


def is_agency_name(name: str) -> bool:
    """Whether a name reads as a news agency: a known one, an acronym, or "... Press Agency".

    >>> [is_agency_name(n) for n in ("Reuters", "XNA", "Coastline Press Agency", "Anika Sorell", "Harbour Daily")]
    [True, True, True, False, False]
    """
    name = _canon(name)
    return name.casefold() in _CANON or bool(_ACRONYM.fullmatch(name) or _AGENCY_NAME.search(name))


def _is_org(name: str) -> bool:
    return is_agency_name(name) or bool(_ORG_NAME.search(name))


def _clean_name(raw: str) -> tuple[str, bool]:
    """A credited name without "staff" / "in Tarrow" / brackets; and whether it was "X staff"."""
    name = raw.strip(" .;:()[]\"'’")
    staff = bool(_STAFF.search(name))
    name = _STAFF.sub("", name)
    name = _IN_PLACE.sub("", name).strip(" .")
    if name.casefold().startswith("the "):
        name = name[4:]
    return name, staff


def _dateline_agencies(text: str) -> list[tuple[int, str]]:
    out = []
    for m in _DATELINE.finditer(text[:4000]):
        name = m.group(1).strip()
        if is_agency_name(name) or len(name.split()) <= 3:
            out.append((m.start(1), _canon(name)))
    return out


def _credit_names(text: str) -> list[tuple[int, str, str, bool]]:
    """(offset, segment role, name, staff?) for every name in the credit lines."""
    out: list[tuple[int, str, str, bool]] = []
    low = text.lower()
    if not any(k in low for k in _CREDIT_HINTS):
        return out
    for m in _CREDIT_LINE.finditer(text):
        line = m.group(0)
        if len(line.split()) > 40:
            continue
        for seg in re.split(r";", line.strip().strip("()[] ")):
            sm = re.match(r"\s*(?:with\s+)?(additional\s+)?(reporting|writing|editing|compiled|translated)\s+by\s+(.+)", seg, re.I)
            if not sm:
                continue
            role = ("additional " if sm.group(1) else "") + sm.group(2).lower()
            names = sm.group(3)
            for_org = re.search(r"\bfor\s+(?:the\s+)?([A-Z][\w .&'’-]+)$", names)
            if for_org:
                out.append((m.start(), role, for_org.group(1).strip(), False))
                names = names[: for_org.start()]
            for part in _SPLIT_NAMES.split(names):
                name, staff = _clean_name(part)
                if name:
                    out.append((m.start(), role, name, staff))
    for m in _CONTRIBUTED.finditer(text) if "contributed" in text else ():
        for part in _SPLIT_NAMES.split(m.group(1)):
            name, staff = _clean_name(part)
            if name:
                out.append((m.start(), "additional reporting", name, staff))
    return out


def _byline_names(text: str, byline: str | None) -> list[str]:
    lines = []
    head = text[:600]
    for m in _BYLINE.finditer(head):
        if len(m.group(1).split()) <= 14 and not re.search(r"[.!?:]\s*$", m.group(1)):
            lines.append(m.group(1))
    if byline:
        lines.append(byline)
    out = []
    for line in lines:
        for part in _SPLIT_NAMES.split(line):
            name, _ = _clean_name(part)
            if name and name[0].isupper():
                out.append(name)
    return out


@lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all the given agency names, a named group per name."""
    known = dict((c, p) for c, p in KNOWN_AGENCIES)
    alts = []
    for i, name in enumerate(names):
        core = known.get(name, re.escape(name))
        case = name in ("AP", "PA", "dpa") or bool(_ACRONYM.fullmatch(name))
        alts.append(f"(?P<n{i}>{core})" if case else f"(?P<n{i}>(?i:{core}))")
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b")


def _mentions(text: str, names: Iterable[str]) -> list[tuple[int, str, str]]:
    """(offset, agency, "copy" | "cite") for each mention of the given agencies in running text."""
    order = tuple(sorted(set(names), key=lambda n: (-len(n), n)))
    if not order:
        return []
    pattern = _names_pattern(order)
    if not pattern.search(text):
        return []
    clean = _MEDIA_CREDIT.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for m in pattern.finditer(clean):
        name = order[int((m.lastgroup or "n0")[1:])]
        before = clean[max(0, m.start() - 60) : m.start()]
        after = clean[m.end() : m.end() + 40]
        if re.match(_OWN_STAFF, after, re.I):
            kind = "copy"  # "an AFP correspondent", "a Reuters witness": the agency's own staff
        elif re.search(r"\btold\s+(?:the\s+)?$", before) and not re.match(r"\s+news\s+agency", after, re.I):
            kind = "copy"  # "told AFP": how an agency credits its own interview
        elif re.search(_CITE_BEFORE + r"$", before, re.I) or re.match(_CITE_AFTER, after, re.I):
            kind = "cite"
        elif name in _AMBIGUOUS and m.group(0) in ("AP", "PA"):
            continue  # "AP" alone could be anything
        else:
            kind = "cite"
        out.append((m.start(), name, kind))
    return out


def agency_names(texts: Iterable[str]) -> tuple[str, ...]:
    """The agencies a set of texts knows of, beyond the well-known ones.

    Any name filing a dateline ("(XNA) -"), and names built like an agency's
    ("Westland News Agency", "Harbor Wire"), with the acronym given beside
    them; "... Press" only when its initials file a dateline ("Inter-Regional
    Press" beside "(IRP)"), since many newspapers are called "Free Press".

    >>> agency_names(["BRASK (WNA) - Rain.", "The Westland News Agency and the Tarrow Free Press said so."])
    ('WNA', 'Westland News Agency')
    """
    texts = list(texts)
    found: dict[str, None] = {}
    for text in texts:
        for _, name in _dateline_agencies(text):
            found.setdefault(name)
    datelined = {_initials(n) if len(n.split()) > 1 else n for n in found}
    for text in texts:
        for m in _AGENCY_FULL.finditer(text):
            words = m.group(1).split()
            while words and (words[0] in ("The", "A", "An", "According") or not words[0][0].isupper()):
                words.pop(0)
            if len(words) < 2 or words[0] in ("Press", "News"):
                continue
            name = " ".join(words)
            if words[-1] in ("Press", "Presse") and _initials(name) not in datelined and _canon(name) == name:
                continue
            found.setdefault(_canon(name))
            if m.group(2):
                found.setdefault(m.group(2))
    return tuple(n for n in found if n.casefold() not in _CANON)


def classify_credits(text: str, byline: str | None = None, story_agencies: Iterable[str] = ()) -> AgencyCredits:
    """Which agencies an article is copy of, and which it only cites.

    Args:
        text: the article text.
        byline: the author metadata, when the page gave one.
        story_agencies: agency names known from the whole story (see
            :func:`agency_names`), so that "according to WNA" is read as a
            citation of the agency whose dateline another article carries.

    >>> c = classify_credits("TARROW, March 3 (XNA) - Rain fell. A farmer told AFP it was over.")
    >>> c.copy
    ('XNA', 'AFP')
    >>> classify_credits("The Reuters news agency said the deal had collapsed.")
    AgencyCredits(copy=(), cites=('Reuters',))
    """
    copy: list[tuple[int, str]] = list(_dateline_agencies(text))
    for pos, role, name, staff in _credit_names(text):
        if role in ("reporting", "additional reporting", "compiled", "writing") and not staff and is_agency_name(name):
            copy.append((pos, _canon(name)))
    for name in _byline_names(text, byline):
        if is_agency_name(name):
            copy.append((len(text), _canon(name)))
    names = set(_CANON.values()) | {_canon(n) for n in story_agencies} | {n for _, n in copy}
    cites: list[tuple[int, str]] = []
    for pos, name, kind in _mentions(text, names):
        (copy if kind == "copy" else cites).append((pos, name))
    copies = _merge_aliases([n for _, n in sorted(copy)])
    copy_keys = {agency_key(n) for n in copies}
    cited = [n for n in _merge_aliases([n for _, n in sorted(cites)]) if agency_key(n) not in copy_keys]
    return AgencyCredits(tuple(copies), tuple(cited))


def _merge_aliases(names: list[str]) -> list[str]:
    """One name per agency, in order of first use: "WNA" and "Westland News Agency" are one."""
    shown = agency_display(names)
    return list(dict.fromkeys(shown[agency_key(n)] for n in names))


def agency_credits(text: str, story_agencies: Iterable[str] = ()) -> tuple[str, ...]:
    """Every agency a text credits, as copy or as a source it cites, in order of first credit.

    Image credits ("[Name/Reuters]", "AP Photo") do not count. ``story_agencies``
    as in :func:`classify_credits`.

    >>> agency_credits("Nobody had left, according to a Reuters witness. He told AFP it was over.")
    ('Reuters', 'AFP')
    >>> agency_credits("Buses stood idle [Omar Sanadiki/Reuters]")
    ()
    """
    c = classify_credits(text, story_agencies=(*story_agencies, *agency_names([text])))
    first: dict[str, int] = {}
    names = list(c.copy) + list(c.cites)
    for pos, name, _ in _mentions(text, names):
        first.setdefault(name, pos)
    for pos, name in _dateline_agencies(text):
        first[name] = min(pos, first.get(name, pos))
    return tuple(sorted(names, key=lambda n: first.get(n, len(text))))


def agency_key(name: str) -> str:
    """One key for all names of an agency: "Westland News Agency" and "WNA" -> "WNA".

    >>> [agency_key(n) for n in ("Westland News Agency", "WNA", "Agence France-Presse", "Inter-Regional Press")]
    ['WNA', 'WNA', 'AFP', 'IRP']
    """
    name = _canon(name)
    if name.casefold() in _CANON or _ACRONYM.fullmatch(name):
        return name
    initials = _initials(name)
    return initials if len(initials) >= 2 else name


def agency_display(names: Iterable[str]) -> dict[str, str]:
    """Agency key -> the name a reader sees: the full name when the story spells it out.

    >>> agency_display(["WNA", "Westland News Agency", "AFP"])
    {'WNA': 'Westland News Agency', 'AFP': 'AFP'}
    """
    out: dict[str, str] = {}
    for n in names:
        n = _canon(n)
        key = agency_key(n)
        if key not in out or (len(n.split()) > 1 and key.casefold() not in _CANON and len(out[key].split()) == 1):
            out[key] = n
    return out


def _looks_like_domain(name: str) -> bool:
    return " " not in name and "." in name


def identify_outlet(article: Article) -> str | None:
    """The outlet that published an article.

    Metadata wins (JSONL ``source``, HTML site name, ``Source:`` line). When
    the outlet is unknown, or known only as a URL's domain or as the agency
    of the article's own dateline, the article's credit line and byline are
    read for the publisher ("additional reporting by Eastern Star staff",
    "By Jane Roe, The Harrow Weekly"); failing those, the dateline's agency
    (an agency's own copy) or the domain stays.

    >>> a = Article("BRASK, Oct 14 (WNA) - Rain fell.\\n\\n(Reporting by Ana Roe; additional reporting by Valley Star staff)",
    ...             source="WNA")
    >>> identify_outlet(a)
    'Valley Star'
    """
    text = article.text
    src = (article.source or "").strip() or None
    datelined = {n.casefold() for _, n in _dateline_agencies(text)}
    inferred = src is None or _looks_like_domain(src) or _canon(src).casefold() in datelined
    if not inferred:
        return src
    publisher = None
    for _, role, name, staff in _credit_names(text):
        if staff and not is_agency_name(name) or (_is_org(name) and not is_agency_name(name) and role != "editing"):
            publisher = name
            break
    if publisher is None:
        for name in _byline_names(text, article.byline):
            if _is_org(name) and not is_agency_name(name):
                publisher = name
                break
    if publisher or src:
        return publisher or src
    # An agency's own copy: the agency of the dateline, credit line or byline
    # (never one the text merely quotes, nor one whose reporter it quotes).
    structural = [n for _, n in _dateline_agencies(text)]
    structural += [_canon(n) for _, role, n, staff in _credit_names(text) if role == "reporting" and is_agency_name(n)]
    structural += [_canon(n) for n in _byline_names(text, article.byline) if is_agency_name(n)]
    return structural[0] if structural else None
