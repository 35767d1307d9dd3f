"""Exception hierarchy. Every message says what is wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable


class NewsweaveError(Exception):
    """Base class for errors newsweave reports to users."""


class BadInput(NewsweaveError):
    """An input could not be read as an article. ``path`` names it."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class MissingExtra(NewsweaveError):
    """An optional dependency is not installed."""

    def __init__(self, extra: str, what: str) -> None:
        self.extra = extra
        super().__init__(
            f"{what} needs the '{extra}' extra: pip install 'newsweave[{extra}]'"
        )


class StoreError(NewsweaveError):
    """The article store could not be opened or written."""


class StoreNotFound(StoreError):
    """A command that only reads was pointed at a database that does not exist."""


def invalid_value(name: str, value: object, allowed: Iterable[object]) -> ValueError:
    """One helper for "value X is invalid; must be one of ..." messages."""
    choices = ", ".join(repr(a) for a in allowed)
    return ValueError(f"{name} {value!r} is invalid; must be one of {choices}")
