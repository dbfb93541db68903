"""Where the keys may be sent: the API URL policy of an account."""

import ipaddress
from urllib.parse import urlsplit


def check_api_url(url):
    """``url`` without a trailing slash if it is an API root the keys may be sent to: an
    ``https://`` URL, or ``http://`` on this machine's loopback (127.0.0.0/8, ::1,
    localhost) for the simulator. Raises ``ValueError`` otherwise."""
    parts = urlsplit(url.strip()) if isinstance(url, str) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname or parts.username is not None:
        raise ValueError(f"not an http(s) URL: {url!r:.80}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(f"only https:// URLs are allowed, except on this machine (loopback): {url!r:.80}")
    return url.strip().rstrip("/")


def _is_loopback(host):
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
