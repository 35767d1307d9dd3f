"""Bytes -> text: UTF-8 first, then charset-normalizer; binary is refused."""

from __future__ import annotations

from newsweave.errors import BadInput

_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters."""
    head = data[:4096]
    if b"\x00" in head:
        return True
    if not head:
        return False
    ctrl = sum(1 for b in head if b in _CONTROL)
    return ctrl / len(head) > 0.05


def decode(data: bytes, path: str | None = None) -> str:
    """Decode article bytes, detecting the encoding when it is not UTF-8.

    Raises:
        BadInput: for binary data or bytes no encoding explains.
    """
    if looks_binary(data):
        raise BadInput("looks like a binary file, not text, HTML, JSONL or a feed", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "utf-8"):
        raise BadInput(
            f"is not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no other "
            "encoding fits; re-save it as UTF-8",
            path,
        )
    return str(best)
