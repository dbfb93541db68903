"""Pure-Python Dükkango integration layer: HTTP client, order and menu parsers, order mapping.

Nothing in this package imports Odoo; it is importable and testable on its own
(``python3 -m pytest dukkango/tests``).
"""
