"""Article stores. SQLite (``Store``) is the default: one file, no server.

Every store follows :class:`~newsweave.store.base.StoreProtocol`.

>>> from newsweave.store import Store
>>> Store.open(":memory:").count()
0
"""

from newsweave.store.base import StoreProtocol
from newsweave.store.sqlite import AddResult, Hit, Store, quote_query, resolve_path

__all__ = ["AddResult", "Hit", "Store", "StoreProtocol", "quote_query", "resolve_path"]
