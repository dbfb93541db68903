"""Test support: the Dükkango simulator (an HTTP stand-in for the platform) and example payloads.

Imported by the tests, the tools and ``make run``; never by ``models/`` (the addon's
runtime does not need it).
"""
