"""Typed errors raised by :mod:`dukkango.client`.

Every error carries the HTTP status (``None`` when no response arrived), the
platform's Turkish ``error`` string and its ``message`` (both may be empty).
"""


class DukkangoError(Exception):
    """Base class of every error the Dükkango client raises."""

    def __init__(self, message="", *, http_status=None, error="", detail=""):
        self.http_status = http_status
        self.error = error or ""
        self.message = detail or ""
        super().__init__(message or self._default_text())

    def _default_text(self):
        parts = []
        if self.http_status:
            parts.append(f"HTTP {self.http_status}")
        if self.error:
            parts.append(self.error)
        if self.message:
            parts.append(self.message)
        return ": ".join(parts) or self.__class__.__name__


class DukkangoAuthError(DukkangoError):
    """Wrong keys, expired token (after one re-login) or forbidden resource (401/403)."""


class DukkangoRateLimitError(DukkangoError):
    """HTTP 429 ``çok fazla istek``; ``retry_after`` is the wait in seconds."""

    def __init__(self, *args, retry_after=30, **kwargs):
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)


class DukkangoNotFoundError(DukkangoError):
    """HTTP 404: unknown order, restaurant or food."""


class DukkangoValidationError(DukkangoError):
    """HTTP 400/422 or ``status: false``: the platform refused the request."""


class DukkangoServerError(DukkangoError):
    """HTTP 5xx, after the retries allowed for the call."""


class DukkangoProtocolError(DukkangoError):
    """The answer is not JSON or does not have the documented shape."""


class DukkangoConnectionError(DukkangoError):
    """No answer: host unreachable, connection dropped (after retries)."""


class DukkangoTimeoutError(DukkangoConnectionError):
    """No answer within the read or connect timeout (after retries)."""
