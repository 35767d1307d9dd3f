"""Fetching URLs with httpx: timeouts, a size limit and few redirects."""

from __future__ import annotations

from newsweave.errors import BadInput

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_S = 20.0
MAX_REDIRECTS = 5


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_S) -> tuple[bytes, str]:
    """GET a URL; return (body, final URL). Raise BadInput with the reason."""
    import httpx

    try:
        with httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=timeout,
            headers={"User-Agent": "newsweave/0.1 (+news briefing tool)"},
        ) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    raise BadInput(f"server answered HTTP {resp.status_code}", url)
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise BadInput(f"is {int(declared)} bytes; the limit is {max_bytes}", url)
                chunks = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise BadInput(f"is larger than the {max_bytes}-byte limit", url)
                    chunks.append(chunk)
                return b"".join(chunks), str(resp.url)
    except httpx.TooManyRedirects:
        raise BadInput(f"redirected more than {MAX_REDIRECTS} times", url) from None
    except httpx.TimeoutException:
        raise BadInput(f"did not answer within {timeout:.0f} s", url) from None
    except httpx.HTTPError as exc:
        raise BadInput(f"could not be fetched ({exc.__class__.__name__}: {exc})", url) from None
