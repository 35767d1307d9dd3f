"""Sentence surgery for the summary and the fact model: datelines, credits,
clause boundaries and sentences that cannot stand alone.

Everything here works on one sentence's text with regular expressions, so a
cold ``newsweave summarize`` stays fast and needs no model:

* :func:`strip_dateline` finds a wire dateline ("MARROWICK, March 10 (CPA) - ",
  "WASHINGTON (AP) — ") and returns where the sentence proper begins;
* :func:`is_credit` tells credit and housekeeping lines ("(Reporting by ...)");
* :func:`clause_prefixes` lists the places where a sentence may be cut so that
  what remains is a complete clause ("The port authority said 14 ships were
  waiting, and that two had been diverted" -> "The port authority said 14 ships
  were waiting.");
* :func:`clauses` splits a sentence into its coordinated clauses, the units
  the fact model aligns ("The union says 4,000 joined; the authority says
  1,200" -> two clauses);
* :func:`needs_antecedent` and :func:`is_bare_quote` tell sentences that point
  back at something the reader has not seen ("He said ...", a quotation with
  no speaker).

A cut is never made inside a quotation or parentheses, never leaves a
dangling subordinate opener ("After the talks collapsed."), and never cuts a
parenthetical relative clause whose main clause goes on ("talks with Kestrel,
which runs the port, broke down").
"""

from __future__ import annotations

import re

__all__ = [
    "strip_dateline",
    "is_credit",
    "is_truncated",
    "clause_prefixes",
    "clauses",
    "needs_antecedent",
    "is_bare_quote",
    "close_sentence",
    "is_transcript_line",
]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "MARROWICK, March 10 (CPA) - ", "BEIRUT (Reuters) -", "ALEPPO, Syria — ",
# "LONDON, Dec 14 (Reuters) -": a place in capitals, then a date, a region or an
# agency, then a dash. A capitalised place alone needs the dash straight after.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
    r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?"  # region: ", Syria", ", New Jersey"
    r"(?:,?\s*" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?)?"  # date
    r"(?:\s*\((?:[A-Z][\w.&' -]{0,30})\))?"  # agency: "(CPA)", "(AP)"
    r"\s*[-–—]{1,2}\s+"
)
_CREDIT = re.compile(
    r"^\s*[(\[]?\s*(?:(?:Additional|Further)\s+reporting|Reporting|Writing|Editing|Compiled|Written|Edited)"
    r"(?:\s+and\s+\w+)?\s+by\b",
    re.I,
)
_TRUNCATED = re.compile(r"(?:\.\.\.|…)[\"'”’)]*\s*$")


def strip_dateline(text: str) -> int:
    """Offset where ``text`` begins after a wire dateline (0 when there is none).

    >>> t = "MARROWICK, March 10 (CPA) - Thousands of dock workers walked out."
    >>> t[strip_dateline(t):]
    'Thousands of dock workers walked out.'
    >>> t = "WASHINGTON (AP) — Democrats pushed a framework."
    >>> t[strip_dateline(t):]
    'Democrats pushed a framework.'
    >>> strip_dateline("The Union - the largest - struck."), strip_dateline("US - China talks resumed.")
    (0, 0)
    """
    m = _DATELINE.match(text)
    if not m:
        return 0
    head = text[: m.end()]
    # A bare capitalised word and a dash ("US - China talks") is no dateline:
    # a dateline names a place in capitals of 3+ letters and a date, an agency or a region.
    if not re.search(r"[A-Z]{3,}", head) or not re.search(r"[(\d,—–]", head):
        return 0
    rest = text[m.end() :]
    return m.end() if rest[:1].isupper() or rest[:1] in "\"“‘'" else 0


def is_credit(text: str) -> bool:
    """Credit lines and bylines: "(Reporting by ...)", "Writing by ...".

    >>> is_credit("(Reporting by Coastline Press Agency; additional reporting by staff)")
    True
    >>> is_credit("Reporters saw smoke over the port.")
    False
    """
    return bool(_CREDIT.match(text))


def is_truncated(text: str) -> bool:
    """The sentence was cut off in the source ("... killed after...")."""
    return bool(_TRUNCATED.search(text))


def close_sentence(text: str) -> str:
    """``text`` with trailing commas and dashes dropped and a full stop added.

    >>> close_sentence("Two ships were diverted,")
    'Two ships were diverted.'
    """
    t = text.rstrip(" ,;:–—-")
    if t.endswith((".", "!", "?", ".”", ".\"", "!”", "?”")):
        return t
    return t + "."


# Where a clause may end: "; ", " — ", ", and that", ", which ...", ", while".
_CUT = re.compile(
    r"\s*;\s+"
    r"|\s+[—–]\s+|\s+--\s+"
    r"|,\s+(?=(?:and|but|while|whereas|although|though|as|after|before|because|since|saying|adding|"
    r"according|including|which|who|whom|whose|where|prompting|raising|leaving|making|sending|with|amid|"
    r"despite|even|following|until|so|yet)\b)"
    r"|\s+(?=(?:after|amid|because|following|while|whereas|although|as\s+(?:the|a|an|his|her|its|their|[A-Z]))\b)"
)
_RELATIVE = re.compile(r",\s+(?:which|who|whom|whose|where)\b")
# A sentence opening with one of these starts with a subordinate or
# prepositional phrase: its first comma closes that phrase, not the main clause.
_SUBORDINATE_OPENER = re.compile(
    r"^[\"“‘']?(?:after|before|when|whenever|while|as|although|though|if|because|since|despite|amid|"
    r"following|once|unless|until|whereas|in|on|at|with|without|less|more|hours|days|weeks|by|for|during|"
    r"from|under|according|speaking|asked|citing|unlike|like|instead|besides|having|given)\b",
    re.I,
)
_BAD_END = re.compile(
    r"\b(?:the|a|an|of|to|and|or|but|for|with|by|from|in|on|at|that|which|who|whose|his|her|its|their|"
    r"our|as|than|said|says|is|are|was|were|be|been|has|have|had|not|no|very|more|most)$",
    re.I,
)
MIN_CLAUSE_WORDS = 5


def _balanced(text: str) -> bool:
    if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
        return False
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def clause_prefixes(text: str, min_words: int = MIN_CLAUSE_WORDS) -> list[str]:
    """Complete-clause prefixes of ``text``, longest first, each closed with a full stop.

    >>> clause_prefixes("The port authority said 14 ships were waiting on Tuesday, and that two had been diverted.")
    ['The port authority said 14 ships were waiting on Tuesday.']
    >>> clause_prefixes("Dockers walked out on Monday after talks with Kestrel, which runs the port, broke down.")
    ['Dockers walked out on Monday.']
    >>> clause_prefixes("After the talks collapsed, the union called a strike.")
    []
    """
    body = text.rstrip()
    cut_ok_from = 0
    if _SUBORDINATE_OPENER.match(body):
        first = body.find(",")
        if first < 0:
            return []
        cut_ok_from = first + 1
    out = []
    for m in _CUT.finditer(body):
        if m.start() < cut_ok_from:
            continue
        head = body[: m.start()]
        rest = body[m.end() :]
        if _RELATIVE.match(body, m.start()) and "," in rest.rstrip(",. "):
            continue  # "talks with Kestrel, which runs the port, broke down": the main clause goes on
        if len(head.split()) < min_words or not _balanced(head) or _BAD_END.search(head.rstrip(" ,;:—–-")):
            continue
        out.append(close_sentence(head))
    return sorted(dict.fromkeys(out), key=lambda s: -len(s))


# Coordinated clauses with their own subject: "X says A; Y says B", "A, while B".
_SPLIT = re.compile(r"\s*;\s+|,\s+(?:while|whereas|but)\s+|,?\s+(?:while|whereas)\s+(?=(?:the|a|an|[A-Z]))")


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the coordinated clauses of a sentence (one span when it has none).

    Splits at semicolons and at ", while" / ", but" / "whereas" when both
    sides are long enough to state something (five words), outside
    quotations.

    >>> t = "The union says 4,000 workers joined; the authority says the figure is closer to 1,200."
    >>> [t[s:e] for s, e in clauses(t)]
    ['The union says 4,000 workers joined', 'the authority says the figure is closer to 1,200.']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SPLIT.finditer(text):
        head = text[start : m.start()]
        tail = text[m.end() :]
        if len(head.split()) < MIN_CLAUSE_WORDS or len(tail.split()) < MIN_CLAUSE_WORDS:
            continue
        if not _balanced(text[: m.start()]):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


# Openings that point back to something said before.
_ANAPHORA = re.compile(
    r"^[\"“‘']?(?:He|She|They|It|His|Her|Their|Its|Him|Them|This|That|These|Those|Such|"
    r"Both|Another|Meanwhile|But|And|Also|However|Still|Yet|So|Instead|Then|Thus|Hence|Moreover|"
    r"Furthermore|Nevertheless|Nonetheless|Otherwise|Likewise|Similarly|Besides|There)\b(?!-)"
)
_DEFINITE = re.compile(r"^[\"“‘']?(?:The|That|This|These|Those)\s+([a-z][a-z-]+)\b")
# "The strike in Port Vell", "The mayor of Marrowick": a named modifier makes it self-contained.
_NAMED_MODIFIER = re.compile(
    r"(?:\s+[a-z][\w'’-]*){0,4}?\s+(?:in|of|at|on|for|from|by)\s+(?:the\s+)?"
    r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|August|"
    r"September|October|November|December)[A-Z]"
)
# "There is/are/was" opens a sentence that stands on its own.
_EXISTENTIAL = re.compile(r"^[\"“‘']?There\s+(?:is|are|was|were|has|have|had|will|would|could|may|might)\b")


def needs_antecedent(text: str, context: str = "") -> bool:
    """True when ``text`` opens with a word pointing back to an unresolved referent.

    "The deal" is resolved when ``context`` (what the reader has already
    seen) mentions a deal.

    >>> needs_antecedent("He said the talks failed.")
    True
    >>> needs_antecedent("The deal collapsed on Tuesday.", "Rivals agreed a deal.")
    False
    >>> needs_antecedent("The deal collapsed on Tuesday.")
    True
    >>> needs_antecedent("The Harbor Union called a strike.")
    False
    >>> needs_antecedent("There were no recorded dissents.")
    False
    >>> needs_antecedent("The strike in Port Vell began on Monday.")
    False
    >>> needs_antecedent("The death toll from floods in the Orrin valley rose to 31.")
    False
    """
    if _EXISTENTIAL.match(text):
        return False
    if _ANAPHORA.match(text):
        return True
    for br in _BACK_REFERENCE.finditer(text):
        # "denied the claim", "rejects that framing": what claim? ("the claim
        # that ..." says which; so does a context that names it.)
        det, noun = br.group(1).lower(), br.group(2).lower()
        if (det == "the" and _SAYS_WHICH.match(text, br.end())) or noun.rstrip("s") in context.lower():
            continue
        return True
    m = _DEFINITE.match(text)
    if m:
        if _NAMED_MODIFIER.match(text, m.end()):
            return False
        noun = m.group(1)
        return noun not in context.lower()
    return False


# A definite or demonstrative reference to something said before.
_BACK_REFERENCE = re.compile(
    r"\b(the|that|this|these|those|such)\s+(claims?|allegations?|accusations?|charges?|reports?|figures?|"
    r"framing|remarks?|comments?|suggestions?|assertions?|account|denials?)\b(?!\s+(?:of|by|from|in|on|about)\b)",
    re.I,
)
_SAYS_WHICH = re.compile(r"\s+(?:that|of|by|about)\b")
# "Jan Holt: You are accusing ...": a line of an interview transcript.
_TRANSCRIPT = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}:\s")


def is_transcript_line(text: str) -> bool:
    """A line of an interview transcript ("Ruth Amsel: We have 68 votes.").

    >>> is_transcript_line("Ruth Amsel: We have 68 votes."), is_transcript_line("Talks resume: both sides agree.")
    (True, False)
    """
    m = _TRANSCRIPT.match(text)
    return m is not None and len(text[: m.end()].split()) <= 3


_BARE_QUOTE = re.compile(r"^\s*[\"“][^\"“”]+[\"”]\s*$")


def is_bare_quote(text: str) -> bool:
    """A quotation with no speaker in the sentence ("'We will stay out.'").

    >>> is_bare_quote('"We will stay out as long as it takes."')
    True
    >>> is_bare_quote('"We will stay out," Okafor said.')
    False
    """
    return bool(_BARE_QUOTE.match(text))
