"""Typed errors raised by :mod:`dukkango.client`.

Every error carries the HTTP status (``None`` when no response arrived), the
platform's Turkish ``error`` string and its ``message`` (both may be empty).

The class attribute ``retryable`` tells whether the same call, made again later,
may succeed: true for a server failure, a rate limit, a garbled answer, a timeout
or no connection; false when the platform refused the call for what it asked
(keys, unknown resource, invalid request), and for the base class.
"""


class DukkangoError(Exception):
    """Base class of every error the Dükkango client raises.

    ``retryable`` is false: an unclassified error is not retried.
    """

    retryable = False

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
    """Wrong keys, expired token (after one re-login) or forbidden resource (401/403).

    Not ``retryable``: the keys or the rights must change first.
    """

    retryable = False


class DukkangoRateLimitError(DukkangoError):
    """HTTP 429 ``çok fazla istek``; ``retry_after`` is the wait in seconds.

    ``retryable``: the call may succeed after the wait.
    """

    retryable = True

    def __init__(self, *args, retry_after=30, **kwargs):
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)


class DukkangoNotFoundError(DukkangoError):
    """HTTP 404: unknown order, restaurant or food.

    Not ``retryable``: the same call finds nothing again.
    """

    retryable = False


class DukkangoValidationError(DukkangoError):
    """HTTP 400/422 or ``status: false``: the platform refused the request.

    Not ``retryable``: the same request is refused again.
    """

    retryable = False


class DukkangoServerError(DukkangoError):
    """HTTP 5xx, after the retries allowed for the call.

    ``retryable``: the platform may have recovered later.
    """

    retryable = True


class DukkangoProtocolError(DukkangoError):
    """The answer is not JSON or does not have the documented shape.

    ``retryable``: a proxy or a failing platform may have garbled this answer only.
    """

    retryable = True


class DukkangoRedirectError(DukkangoError):
    """HTTP 3xx: the answer points elsewhere (``location``); never followed, since the keys
    and the token would go there.

    ``retryable`` is false: the API URL is wrong or the platform moved.
    """

    retryable = False

    def __init__(self, *args, location="", **kwargs):
        self.location = location
        super().__init__(*args, **kwargs)


class DukkangoConnectionError(DukkangoError):
    """No answer: host unreachable, connection dropped (after retries).

    ``retryable``: the network or the platform may be back later.
    """

    retryable = True


class DukkangoTimeoutError(DukkangoConnectionError):
    """No answer within the read or connect timeout (after retries).

    ``retryable``, like every connection error.
    """
