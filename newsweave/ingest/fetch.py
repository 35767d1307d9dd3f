"""Fetching URLs with httpx: timeouts, a size limit and few redirects.

Every failure is a :class:`BadInput` naming the URL, what went wrong and what
to do, so one dead link in a list of feeds does not stop the batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsweave.errors import BadInput

__all__ = ["MAX_BYTES", "MAX_REDIRECTS", "TIMEOUT_S", "Fetched", "fetch", "fetch_url"]

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_S = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "newsweave/0.1 (+news briefing tool)"
# Content types that are never an article, a feed or JSONL.
_BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                 "application/octet-stream", "application/gzip")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document: body bytes, the URL after redirects, its content type."""

    body: bytes
    url: str
    content_type: str = ""
    charset: str | None = None  # from the Content-Type header


def fetch_url(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_S,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET a URL within the limits.

    Raises:
        BadInput: for HTTP errors, too many redirects, timeouts, oversize or
            binary bodies, and network failures; the message says what to do.
    """
    import httpx

    if not url.startswith(("http://", "https://")):
        raise BadInput("only http:// and https:// URLs can be fetched", url)
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=max_redirects,
                timeout=timeout,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", url) as resp,
        ):
            if resp.status_code >= 400:
                hint = (
                    "check the URL" if resp.status_code < 500 else "the site has a problem; try again later"
                )
                raise BadInput(f"server answered HTTP {resp.status_code} {resp.reason_phrase}; {hint}", url)
            header = resp.headers.get("content-type", "")
            ctype = header.split(";")[0].strip().lower()
            if ctype.startswith(_BINARY_TYPES):
                raise BadInput(f"is {ctype}, not an article page, feed or JSONL; give the article's URL", url)
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise BadInput(
                    f"is {int(declared):,} bytes; the limit is {max_bytes:,}; save it and read the file", url
                )
            chunks = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:  # servers can omit or lie about Content-Length
                    raise BadInput(
                        f"is larger than the {max_bytes:,}-byte limit; save it and read the file", url
                    )
                chunks.append(chunk)
            from newsweave.ingest.decode import declared_charset

            return Fetched(b"".join(chunks), str(resp.url), ctype, declared_charset(b"", header))
    except httpx.TooManyRedirects:
        raise BadInput(
            f"redirected more than {max_redirects} times (a redirect loop?); open it in a browser and "
            "give the final URL",
            url,
        ) from None
    except httpx.TimeoutException:
        raise BadInput(f"did not answer within {timeout:g} s; try again later", url) from None
    except httpx.InvalidURL as exc:
        raise BadInput(f"is not a valid URL ({exc})", url) from None
    except httpx.HTTPError as exc:
        raise BadInput(
            f"could not be fetched ({exc.__class__.__name__}: {exc}); check the address and your connection",
            url,
        ) from None


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_S) -> tuple[bytes, str]:
    """GET a URL; return (body, final URL). See :func:`fetch_url`."""
    got = fetch_url(url, max_bytes=max_bytes, timeout=timeout)
    return got.body, got.url
