"""Pure-Python Dükkango integration layer: HTTP client, order parser, simulator.

Nothing in this package imports Odoo; it is importable and testable on its own
(``python3 -m pytest dukkango/tests``).
"""

from .exceptions import (
    DukkangoAuthError,
    DukkangoConnectionError,
    DukkangoError,
    DukkangoNotFoundError,
    DukkangoProtocolError,
    DukkangoRateLimitError,
    DukkangoServerError,
    DukkangoTimeoutError,
    DukkangoValidationError,
)

__all__ = [
    "DukkangoAuthError",
    "DukkangoConnectionError",
    "DukkangoError",
    "DukkangoNotFoundError",
    "DukkangoProtocolError",
    "DukkangoRateLimitError",
    "DukkangoServerError",
    "DukkangoTimeoutError",
    "DukkangoValidationError",
]
