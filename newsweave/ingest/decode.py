"""Bytes -> text: UTF-8 first, then legacy encodings; binary is refused.

Legacy single-byte files (Latin-1, Windows-1252) are common in news archives
and decode cleanly; which Latin code page a file is in is chosen by
:mod:`newsweave.ingest.legacy` (Western when it is ambiguous), other scripts by
charset-normalizer. UTF-16 and UTF-32 are read with or without a byte-order
mark. A file that is mostly valid UTF-8 but has broken bytes is
damaged, not "in another encoding": guessing would turn its curly quotes into
mojibake, so it is refused with the byte offset and the fix.
"""

from __future__ import annotations

import codecs
import re

from newsweave.errors import BadInput

__all__ = ["declared_charset", "decode", "looks_binary", "no_surrogates", "wide_codec"]

_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))
# A well-formed multi-byte UTF-8 sequence (2 to 4 bytes).
_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard); so do we.
_BROWSER_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "iso8859-1": "cp1252"}  # fmt: skip
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


_SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(text: str) -> str:
    """Lone surrogates (from markup such as ``&#xD800;``) -> U+FFFD, so the text can be stored.

    >>> no_surrogates("Garc" + chr(0xD800) + "a") == "Garc" + chr(0xFFFD) + "a"
    True
    """
    return _SURROGATE.sub("\ufffd", text)


def _text_like(text: str) -> bool:
    """Decoded text with few control or unassigned characters."""
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xFFF0 <= ord(ch) <= 0xFFFF)
    return bad / len(text) < 0.02


def wide_codec(data: bytes) -> str | None:
    """``"utf-16"``/``"utf-32"`` (with a byte-order mark) or the ``-le``/``-be``
    variant when the NUL bytes fall where ASCII text in that encoding puts them.

    >>> wide_codec("Dockers".encode("utf-16-le")), wide_codec("Dockers".encode("utf-16")), wide_codec(b"Dockers")
    ('utf-16-le', 'utf-16', None)
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    for width, codec, text_at in ((4, "utf-32-le", 0), (4, "utf-32-be", 3), (2, "utf-16-le", 0), (2, "utf-16-be", 1)):
        n = len(head) - len(head) % width
        units = n // width
        if units < 2:
            continue
        # Where ASCII text puts its one non-NUL byte, NULs are rare; elsewhere nearly all bytes are NUL.
        zeros_text = sum(1 for i in range(text_at, n, width) if head[i] == 0)
        zeros_pad = sum(1 for i in range(n) if i % width != text_at and head[i] == 0)
        if zeros_text / units <= 0.05 and zeros_pad / (units * (width - 1)) >= 0.6:
            try:
                sample = head[:n].decode(codec)
            except UnicodeDecodeError:
                continue
            if _text_like(sample):
                return codec
    return None


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters.

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00"), looks_binary("Café".encode("latin-1"))
    (True, False)
    """
    head = data[:4096]
    if b"\x00" in head:
        return True
    if not head:
        return False
    ctrl = sum(1 for b in head if b in _CONTROL)
    return ctrl / len(head) > 0.05


def declared_charset(data: bytes, content_type: str = "") -> str | None:
    """The charset an HTTP header or an HTML ``<meta>`` declares, if any.

    >>> declared_charset(b'<meta charset="windows-1252">'), declared_charset(b"", "text/html; charset=ISO-8859-1")
    ('windows-1252', 'ISO-8859-1')
    """
    m = _CT_CHARSET.search(content_type) or _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1)
    return name.decode("ascii", "replace") if isinstance(name, bytes) else name


def decode(data: bytes, path: str | None = None, declared: str | None = None) -> str:
    """Decode article bytes, detecting the encoding when it is not UTF-8.

    Order: a byte-order mark; UTF-8 (bytes that decode as UTF-8 almost surely
    are); the ``declared`` charset (HTTP header or HTML meta); detection.

    Raises:
        BadInput: for binary data, damaged UTF-8, or bytes no encoding explains.

    >>> decode("café".encode("utf-8")), decode("café".encode("cp1252"))
    ('café', 'café')
    """
    wide = wide_codec(data)
    if wide:  # UTF-16/32 text is full of NULs: decode before the binary check
        try:
            return data.decode(wide)
        except UnicodeDecodeError as exc:
            raise BadInput(
                f"looks like {wide.upper()} text but has invalid bytes ({exc.reason} at byte {exc.start}; "
                "cut off?); re-save it as UTF-8",
                path,
            ) from None
    if looks_binary(data):
        raise BadInput(
            "looks like a binary file (an image, PDF or archive?), not text, HTML, JSONL or a feed; "
            "convert it to text or leave it out",
            path,
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if declared:
        codec = _BROWSER_ALIASES.get(declared.strip().lower(), declared.strip())
        try:
            if codecs.lookup(codec).name != "utf-8":
                return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall through to detection
    if _UTF8_MULTI.search(data):
        raise BadInput(
            f"is UTF-8 with invalid bytes ({utf8_error.reason} at byte {utf8_error.start}): the file is "
            "damaged or mixes encodings; re-save it as UTF-8",
            path,
        )
    high = sum(1 for b in data[:65536] if b > 127) / max(1, min(len(data), 65536))
    if high < 0.3:
        # Mostly ASCII with a few accented letters or curly quotes: a Western or
        # Central European single-byte encoding. Unconstrained detection guesses
        # wildly on short Latin text (UTF-16, cp775), and even among Latin code
        # pages it reads "Señor" as cp1250 "Seńor"; see newsweave.ingest.legacy.
        from newsweave.ingest.legacy import guess_single_byte

        latin = guess_single_byte(data)
        if latin:
            return data.decode(latin)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "utf-8") or best.chaos > 0.3:
        raise BadInput(
            f"is not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no other "
            "encoding fits; re-save it as UTF-8",
            path,
        )
    return str(best)
