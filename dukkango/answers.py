"""Checks of the shape of the API's answers (the client's, kept apart to stay small)."""

from .exceptions import DukkangoProtocolError


def expect_list_of_dicts(data, where, keys):
    """``data`` when it is a list of objects that all have ``keys``; else a protocol error."""
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise DukkangoProtocolError(f"{where}: data is not a list of objects")
    for row in data:
        missing = [key for key in keys if key not in row]
        if missing:
            raise DukkangoProtocolError(f"{where}: an entry lacks {', '.join(missing)}")
    return data
