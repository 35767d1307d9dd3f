"""Which URLs newsweave fetches, and the network layer that enforces it.

The policy, in one place (:func:`newsweave.ingest.fetch.fetch_url` and the
``watch`` command both use it):

* ``http://`` and ``https://`` only, for the first URL and every redirect;
* the host is resolved and every address is checked: loopback, private,
  link-local (``169.254.169.254``, the cloud metadata service), shared,
  multicast, reserved and unspecified addresses are refused, for IPv4 and
  IPv6, including IPv4 addresses inside IPv6 ones (``::ffff:127.0.0.1``,
  6to4, Teredo, NAT64), unless private URLs are allowed;
* the check happens when the connection is made, in the same step that picks
  the address to connect to (:class:`GuardedBackend`): the socket goes to the
  address that was checked, so a DNS answer that changes between a check and
  the connection (DNS rebinding) cannot slip through, and every redirect to a
  new host is checked again because it needs a new connection. The URL's host
  name is still sent as ``Host`` and as the TLS server name;
* a deadline for the whole fetch, whatever the server does: every socket
  operation waits at most the time left (:class:`DeadlineStream`), so a server
  that drips one byte every few seconds is cut off on time;
* proxies from the environment are not used: a proxy would connect on our
  behalf to an address we never checked.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore

from newsweave.config import Settings
from newsweave.errors import BadInput

__all__ = [
    "BlockedAddress",
    "DeadlineStream",
    "GuardedBackend",
    "UrlPolicy",
    "address_problem",
    "check_url",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    """Limits for one fetch. Build it from settings with :meth:`from_settings`."""

    allow_private: bool = False
    deadline_s: float = 30.0  # the whole fetch, redirects included
    timeout_s: float = 20.0  # one connect or read
    max_bytes: int = 10_000_000  # the body after decompression
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> UrlPolicy:
        """The policy ``settings`` describe (``allow_private_urls``, ``fetch_deadline``,
        ``fetch_timeout``, ``max_article_size``); keyword overrides win."""
        s = settings or Settings()
        values: dict[str, Any] = {
            "allow_private": s.allow_private_urls,
            "deadline_s": s.fetch_deadline,
            "timeout_s": s.fetch_timeout,
            "max_bytes": s.max_article_size,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class BlockedAddress(BadInput):
    """The URL's host is (or resolves to) an address the policy refuses."""


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client's address
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    try:  # ::a.b.c.d, the deprecated IPv4-compatible form
        if int(ip) >> 32 == 0 and int(ip) > 0xFFFF:
            return ipaddress.IPv4Address(int(ip))
    except ValueError:
        pass
    return None


def address_problem(ip: IPAddress) -> str | None:
    """Why the policy refuses ``ip`` ("a loopback address" ...), or None.

    >>> from ipaddress import ip_address as a
    >>> [address_problem(a(x)) for x in ("127.0.0.1", "169.254.169.254", "10.1.2.3", "::ffff:192.168.0.1", "93.184.216.34")]
    ['a loopback address', 'a link-local address', 'a private address', 'a private address', None]
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None:
            return address_problem(inner)
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "a non-public address"  # shared (100.64/10), benchmarking, documentation ...
    return None


def check_url(url: str) -> str:
    """Refuse a URL that is not ``http(s)://host...``; return it unchanged.

    Raises:
        BadInput: for other schemes (``file:``, ``javascript:`` ...) or no host.
    """
    import httpx

    try:
        u = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise BadInput(f"is not a valid URL ({exc})", url) from None
    if u.scheme not in ("http", "https"):
        raise BadInput(f"uses {u.scheme or 'no'} scheme; only http:// and https:// URLs are fetched", url)
    if not u.host:
        raise BadInput("has no host name; give a full URL such as https://example.org/news", url)
    return url


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation waits at most the time left."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None, exc: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise exc("the deadline for this fetch has passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.NetworkStream:
        left = self._left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Resolve, check every address, and connect only to an address that passed.

    Args:
        policy: the limits (``allow_private``).
        deadline: ``time.monotonic()`` value by which the whole fetch ends.
        resolve: ``(host, port) -> [ip, ...]``; the system resolver by default
            (tests pass their own to play a DNS server).
    """

    def __init__(self, policy: UrlPolicy, deadline: float, resolve: Resolver | None = None) -> None:
        self.policy = policy
        self.deadline = deadline
        self.resolve = resolve or _system_resolve

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the deadline for this fetch has passed")
        return left

    def _addresses(self, host: str, port: int) -> list[str]:
        """Resolve within the time left (``getaddrinfo`` itself has no timeout)."""
        try:
            ipaddress.ip_address(host)
            return [host]
        except ValueError:
            pass
        box: list[Any] = []

        def work() -> None:
            try:
                box.append(self.resolve(host, port))
            except Exception as exc:  # reported below, in this thread
                box.append(exc)

        t = threading.Thread(target=work, daemon=True)
        t.start()
        t.join(self._left())
        if not box:
            raise httpcore.ConnectTimeout(f"looking up {host} took too long")
        if isinstance(box[0], Exception):
            raise httpcore.ConnectError(f"cannot resolve {host} ({box[0]})")
        return list(box[0])

    def allowed(self, host: str, addresses: Iterable[str]) -> list[str]:
        """The addresses that pass the policy; BlockedAddress when none does."""
        good: list[tuple[str, str | None]] = []
        refused: list[tuple[str, str | None]] = []
        for a in addresses:
            try:
                ip = ipaddress.ip_address(a.split("%")[0])  # drop an IPv6 zone id
            except ValueError:
                continue
            problem = None if self.policy.allow_private else address_problem(ip)
            (refused if problem else good).append((a, problem))
        if good:
            return [a for a, _ in good]
        if refused:
            a, problem = refused[0]
            shown = host if host == a else f"{host} resolves to {a}, which is"
            raise BlockedAddress(
                f"{shown} {problem}; newsweave does not fetch loopback, private or link-local "
                "addresses by default. If this is your own server, pass --allow-private-urls"
            )
        raise httpcore.ConnectError(f"no usable address for {host}")

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first address of ``host`` that the policy allows."""
        last: Exception | None = None
        for ip in self.allowed(host, self._addresses(host, port)):
            left = self._left() if timeout is None else min(timeout, self._left())
            try:
                # The checked address itself, so the name is not resolved again.
                stream = super().connect_tcp(ip, port, left, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return DeadlineStream(stream, self.deadline)
        raise last or httpcore.ConnectError(f"cannot connect to {host}")
