"""dukkango.exceptions: the errors' data and whether a retry may succeed."""

import pytest

from dukkango import exceptions

RETRYABLE = [
    (exceptions.DukkangoError, False),
    (exceptions.DukkangoAuthError, False),
    (exceptions.DukkangoNotFoundError, False),
    (exceptions.DukkangoValidationError, False),
    (exceptions.DukkangoRedirectError, False),
    (exceptions.DukkangoServerError, True),
    (exceptions.DukkangoRateLimitError, True),
    (exceptions.DukkangoProtocolError, True),
    (exceptions.DukkangoConnectionError, True),
    (exceptions.DukkangoTimeoutError, True),
]


@pytest.mark.parametrize("cls, retryable", RETRYABLE, ids=[cls.__name__ for cls, _ in RETRYABLE])
def test_retryable(cls, retryable):
    assert cls.retryable is retryable
    error = cls("x", http_status=500)
    assert error.retryable is retryable and isinstance(error, exceptions.DukkangoError)


def test_every_error_class_says_whether_it_is_retryable():
    classes = {exceptions.DukkangoError}
    pending = [exceptions.DukkangoError]
    while pending:
        for sub in pending.pop().__subclasses__():
            classes.add(sub)
            pending.append(sub)
    assert classes == {cls for cls, _ in RETRYABLE}
    for cls in classes:
        assert "retryable" in cls.__doc__, cls.__name__


@pytest.mark.parametrize(
    "kwargs, text",
    [
        ({}, "DukkangoServerError"),
        ({"http_status": 503}, "HTTP 503"),
        (
            {"http_status": 429, "error": "çok fazla istek", "detail": "30 saniye"},
            "HTTP 429: çok fazla istek: 30 saniye",
        ),
    ],
)
def test_default_text_and_fields(kwargs, text):
    error = exceptions.DukkangoServerError(**kwargs)
    assert str(error) == text
    assert error.http_status == kwargs.get("http_status")
    assert error.error == kwargs.get("error", "") and error.message == kwargs.get("detail", "")


def test_rate_limit_keeps_its_wait():
    assert exceptions.DukkangoRateLimitError("slow down", retry_after=12).retry_after == 12
    assert exceptions.DukkangoRateLimitError().retry_after == 30
