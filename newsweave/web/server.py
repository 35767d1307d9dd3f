"""Start the web app: ``newsweave serve --db DB [--host 127.0.0.1] [--port 8000] [--token T]``.

Safe by default: it listens on 127.0.0.1 only; another ``--host`` is
allowed, with a warning when no token is set (anyone who can reach the
machine can then read every stored article). Without a token every write is
refused; with one, ``POST /api/articles`` takes ``Authorization: Bearer T``.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsweave.config import Settings
from newsweave.errors import MissingExtra, NewsweaveError

__all__ = ["is_loopback", "listen", "serve", "warm"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0 picks a free one).

    Raises:
        NewsweaveError: when the address cannot be used; the message names the fix.
    """
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise NewsweaveError(f"cannot listen on {host!r} ({exc.strerror}); pass an address such as 127.0.0.1") from None
    family, kind, proto, _, addr = infos[0]
    # proto must say TCP: asyncio turns Nagle off (TCP_NODELAY) only on sockets
    # that do, and with Nagle on every small response waits ~40 ms for an ACK.
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(512)
    except OSError as exc:
        sock.close()
        raise NewsweaveError(
            f"cannot listen on {host}:{port} ({exc.strerror}); pass another --port, or --port 0 for a free one"
        ) from None
    sock.set_inheritable(True)
    return sock


def warm(data: Any, stories: int = 1) -> None:
    """Brief the front page's top stories once, in the background at start, so
    the first reader does not wait for the pipeline (and its models) to load."""
    from newsweave.web.listing import Filters
    from newsweave.web.pages import front_json

    try:
        for s in front_json(data, Filters(), None)["stories"][:stories]:
            row = data.story(s["id"])
            if row is not None:
                data.briefing(row)
    except Exception as exc:  # noqa: BLE001 - a reader's request meets the same error and reports it
        logging.getLogger(__name__).warning("briefing the top story at start failed: %r", exc)


def serve(
    db: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    settings: Settings | None = None,
    poll_seconds: float = 30.0,
    echo: Callable[[str], None] = lambda s: print(s, file=sys.stderr, flush=True),
) -> None:
    """Serve the store at ``db`` until interrupted.

    Raises:
        MissingExtra: without Starlette, uvicorn or Jinja2.
        NewsweaveError: when the store or the address cannot be used.
    """
    try:
        import jinja2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        raise MissingExtra("web", "newsweave serve") from None
    from newsweave.store import is_postgres_url, mask_url
    from newsweave.web.app import LOOPBACK_HOSTS, create_app
    from newsweave.web.data import Data

    token = (token or "").strip() or None
    local = not is_postgres_url(db) and db != ":memory:" and not db.startswith("file:")
    if not token and local and not Path(db).expanduser().exists():
        raise NewsweaveError(
            f"no database at {db}; add articles first (newsweave add FILES --db {db}), "
            "or start with --token T to receive them through POST /api/articles"
        )
    loopback = is_loopback(host)
    if not loopback and not token:
        echo(
            f"newsweave: warning: listening on {host}, beyond this machine, without a token: anyone who "
            "can reach it can read every stored article (writes stay refused). Set --token or NEWSWEAVE_TOKEN."
        )
    elif not loopback:
        echo(f"newsweave: warning: listening on {host}, beyond this machine; pages are readable without the token")
    if token and len(token) < 12:
        echo("newsweave: warning: the token is short; use 12 or more random characters")
    data = Data(db, settings or Settings(db=db))
    threading.Thread(target=warm, args=(data,), name="newsweave-warm", daemon=True).start()
    hosts = (LOOPBACK_HOSTS | {host.strip("[]").lower()}) if loopback else None
    app = create_app(data, token=token, hosts=hosts, poll_seconds=poll_seconds)
    sock = listen(host, port)
    bound = sock.getsockname()
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    mode = "writes allowed with the token" if token else "read-only"
    echo(f"newsweave: serving {mask_url(db)} at http://{shown}:{bound[1]}/ ({mode}); Ctrl-C stops")
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
        limit_concurrency=256,
        lifespan="off",
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        data.close()
