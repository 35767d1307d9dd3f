"""Which single-byte code page a legacy Latin-script file is in.

Western (Windows-1252) and Central European (Windows-1250) files use the same
byte values for different letters: ``0xF1`` is ``ñ`` in one and ``ń`` in the
other. Both decode without error, and general-purpose detectors guess badly
on short texts (they read "Señor" as "Seńor"). We decode the words holding
such bytes with each candidate and count what no language writes:

* a symbol inside a word (``powiedzia³a``: Polish ``ł`` read as Western ``³``);
* a word mixing letters that no single language uses together
  (``Pøišel``: Czech ``ř`` read as Danish ``ø`` next to ``š``);
* a capital after a small letter (``ódŸ``), a C1 control character.

The candidate with the fewest oddities wins; on a tie the Western code page
wins, since in English-language news the accented words are mostly Western
names and loanwords (``García``, ``naïve``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CANDIDATES", "guess_single_byte", "oddities"]

# In order of preference on a tie.
CANDIDATES = ("cp1252", "iso8859_15", "cp1250", "iso8859_2", "latin_1")

# Accented letters each language writes (lower case). A word whose accented
# letters all belong to one of these sets is plausible.
_LANGUAGES = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "ãõáâêôçàéíóú",  # Portuguese
    "àèéìíòóùî",  # Italian
    "àçéèíïòóúü·",  # Catalan
    "ëïéèöüáó",  # Dutch, Afrikaans
    "åæøäöéüáíóúýðþ",  # Nordic
    "äöåšžõü",  # Finnish, Estonian
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Croatian, Slovene, Bosnian, Serbian (Latin)
    "ăâîșțşţ",  # Romanian
    "çğıöşüâî",  # Turkish
    "ëç",  # Albanian
)
_SETS = tuple(frozenset(lang) for lang in _LANGUAGES)
# Punctuation and signs that sit next to letters in ordinary text.
_NORMAL_SIGNS = frozenset("’‘“”„‚«»‹›¿¡·–—…°€£$%§©®™†•")
_WORD = re.compile(rb"[^\s\x00-\x26\x28-\x2c\x2e-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*[\x80-\xff][^\s]*")
_MAX_WORDS = 2000


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def oddities(word: str) -> int:
    """How many things in one decoded word no language writes.

    >>> oddities("García"), oddities("powiedzia³a"), oddities("Pøišel"), oddities("ódŸ")
    (0, 2, 1, 2)
    """
    odd = 0
    accented: set[str] = set()
    prev_lower = False
    n = len(word)
    for i, ch in enumerate(word):
        if ord(ch) < 128:
            prev_lower = ch.islower()
            continue
        if 0x80 <= ord(ch) <= 0x9F:
            odd += 3  # a C1 control: the wrong code page for 0x80-0x9F
            prev_lower = False
            continue
        if _is_letter(ch):
            if ch.isupper() and prev_lower:
                odd += 1
            accented.add(ch.lower())
            prev_lower = ch.islower()
            continue
        prev_lower = False
        if ch in _NORMAL_SIGNS:
            continue
        before = i > 0 and _is_letter(word[i - 1])
        after = i + 1 < n and _is_letter(word[i + 1])
        if before and after:
            odd += 2  # a sign inside a word
        elif before or after:
            odd += 1
    if accented and not any(accented <= s for s in _SETS):
        odd += 1
    return odd


def guess_single_byte(data: bytes) -> str | None:
    """The code page among :data:`CANDIDATES` that reads ``data`` best, or None.

    Only words holding bytes above 0x7F are scored (at most 2,000), so this
    stays cheap on large files; the winner must decode the whole of ``data``.

    >>> guess_single_byte("Señor García, the niño, naïve".encode("cp1252"))
    'cp1252'
    >>> guess_single_byte("Zofia Łęcka powiedziała w środę, że łódź odpłynie".encode("cp1250"))
    'cp1250'
    """
    words = []
    for m in _WORD.finditer(data):
        words.append(m.group())
        if len(words) >= _MAX_WORDS:
            break
    scores: list[tuple[int, int, str]] = []
    for rank, codec in enumerate(CANDIDATES):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = sum(oddities(w.decode(codec)) for w in words)
        scores.append((score, rank, codec))
    return min(scores)[2] if scores else None
