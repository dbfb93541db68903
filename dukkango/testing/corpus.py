"""A corpus of raw get-current orders as JSON lines: read it, and anonymize a database's.

One line is one entry of a get-current answer, as the platform sent it (or as a test
wants it sent). Keys that start with ``_`` at the top of a line are directives, removed
before the entry is served:

* ``"_expect"``: what the pipeline must make of the entry, e.g. ``{"case": "decimal comma",
  "state": "done", "total": "35.50", "attention": false}`` or ``{"state": "error", "field":
  "foods[0].quantity"}``; ``state`` is ``done``, ``error`` (stored with its reason, not
  acknowledged), ``pending`` (stored, waiting for a point of sale) or ``rejected`` (no usable
  payment key: not stored);
* ``"_order"``: the entry itself when it is not an object (a string, a number, null, a list);
* ``"_fill"``: ``{"note": 10485760, "customer.name": 300}``: these (dotted) fields become that
  many ``x`` — a 10 MB value without a 10 MB file;
* ``"_answer"``: ``{"status": 502, "body": "<html>502</html>"}``: not an order but a whole
  get-current answer, served once before the orders.

``tools/export_corpus.py`` writes such lines from a database with :func:`anonymize`;
``Simulator.load_corpus`` (``--corpus FILE``) serves them; ``tests/data/corpus.jsonl`` is
the shipped one.
"""

import copy
import hashlib
import hmac
import json
import re
import uuid
from dataclasses import dataclass, field

DIRECTIVES = ("_expect", "_order", "_fill", "_answer")
_FAKE_NAMESPACE = uuid.UUID("a4b1d6c2-6a55-4a8e-9d3e-2f1c0e7b9a10")


@dataclass
class CorpusEntry:
    """One line of a corpus: the entry to serve (or a whole answer) and what to expect."""

    order: object = None  # what get-current serves (None for an answer line)
    expect: dict = field(default_factory=dict)
    answer: dict = None  # {"status": int, "body": str}: a whole get-current answer
    line: int = 0

    @property
    def case(self):
        return self.expect.get("case") or f"line {self.line}"

    @property
    def payment_key(self):
        key = self.order.get("payment_key") if isinstance(self.order, dict) else None
        return key.strip().lower() if isinstance(key, str) else None


def read_corpus(source):
    """The :class:`CorpusEntry` of every non-empty line of ``source`` (a path or lines)."""
    if isinstance(source, str):
        with open(source, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    else:
        lines = list(source)
    entries = []
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.lstrip().startswith("//"):
            entries.append(entry_of(json.loads(line), number))
    return entries


def entry_of(value, line=0):
    """The :class:`CorpusEntry` of one decoded line."""
    if not isinstance(value, dict) or not any(key in value for key in DIRECTIVES):
        return CorpusEntry(order=value, line=line)
    expect = value.get("_expect") or {}
    if "_answer" in value:
        return CorpusEntry(answer=value["_answer"], expect=expect, line=line)
    order = value["_order"] if "_order" in value else {k: v for k, v in value.items() if k not in DIRECTIVES}
    for path, size in (value.get("_fill") or {}).items():
        holder, _dot, key = path.rpartition(".")
        target = order
        for part in filter(None, holder.split(".")):
            target = target.setdefault(part, {})
        target[key] = "x" * int(size)
    return CorpusEntry(order=order, expect=expect, line=line)


# ------------------------------------------------------------------ anonymization
_FIRST = ["Ayşe", "Mehmet", "Zeynep", "Mustafa", "Elif", "Ahmet", "Fatma", "Emre", "Şule", "Çağrı", "Gökhan", "İrem"]
_LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan", "Güneş"]
_STREETS = ["Örnek Sokak", "Deneme Caddesi", "Lale Sokak", "Papatya Caddesi", "Çınar Sokak", "Ihlamur Yolu"]
_NOTES = ["Zili çalmayın lütfen.", "Kapıya bırakın.", "Az acılı olsun.", "Çatal bıçak istemiyorum.", "Soğansız."]
_LETTERS = "abcçdefgğhıijklmnoöprsştuüvyz"
_PHONE_KEYS = re.compile(r"phone|telefon|gsm|mobile|tel$", re.IGNORECASE)
_NOTE_KEYS = ("note", "notes", "not", "siparis_notu", "aciklama")


class Faker:
    """Stable fakes: the same original (and salt) gives the same fake, which keeps the
    shape of the original (empty stays empty, the length and the type are kept)."""

    def __init__(self, salt):
        self.salt = salt.encode() if isinstance(salt, str) else salt

    def _digest(self, kind, value):
        return hmac.new(self.salt, f"{kind}\x00{value}".encode(), hashlib.sha256).digest()

    def _pick(self, kind, value, choices, offset=0):
        return choices[self._digest(kind, value)[offset] % len(choices)]

    @staticmethod
    def _fit(text, original):
        """``text`` at the original's length (repeated or cut), so size limits still apply."""
        if len(text) >= len(original):
            return text[: len(original)]
        return (text + " ") * (len(original) // (len(text) + 1)) + text[: len(original) % (len(text) + 1)]

    def name(self, value):
        if not isinstance(value, str) or not value.strip():
            return value
        fake = self._pick("first", value, _FIRST)
        if len(value.split()) > 1:
            fake += " " + self._pick("last", value, _LAST, 1)
        return fake if len(value) <= 40 else self._fit(fake, value)

    def phone(self, value):
        """The same digits count and separators; the prefix (0, 90, +90) and the first digit of
        the number (5: a mobile) kept, the last nine digits faked."""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return value
        text = str(value)
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        keep = set(digits[: max(1, len(digits) - 9)])
        digest = self._digest("phone", text)
        chars = [c if i in keep or not c.isdigit() else str(digest[i % 32] % 10) for i, c in enumerate(text)]
        fake = "".join(chars)
        return int(fake) if isinstance(value, int) else fake

    def text(self, value, kind="note"):
        """A fake note, street (``kind="street"``) or, for ``kind="token"``, the original with
        each letter and digit replaced. A text over 256 characters keeps its length, and a
        NUL stays: the size and content checks still refuse what they refused."""
        if not isinstance(value, str) or not value.strip():
            return value
        digest = self._digest(kind, value)
        if kind == "street":
            fake = f"{self._pick('street', value, _STREETS)} No:{digest[0] % 120 + 1}"
        elif kind == "note":
            fake = self._pick("note", value, _NOTES)
        else:
            fake = "".join(
                str(digest[i % 32] % 10) if c.isdigit() else self._letter(digest[i % 32], c) if c.isalpha() else c
                for i, c in enumerate(value)
            )
        fake = self._fit(fake, value) if len(value) > 256 else fake
        return fake + "\x00" if "\x00" in value and "\x00" not in fake else fake

    @staticmethod
    def _letter(byte, original):
        letter = _LETTERS[byte % len(_LETTERS)]
        return letter.upper() if original.isupper() else letter

    def email(self, value):
        if not isinstance(value, str) or "@" not in value:
            return self.text(value, "token")
        return f"musteri{self._digest('mail', value)[0] * 256 + self._digest('mail', value)[1]}@example.com"

    def payment_key(self, value):
        try:
            return str(uuid.uuid5(_FAKE_NAMESPACE, self.salt.hex() + str(uuid.UUID(value.strip())))) if value else value
        except (AttributeError, ValueError):
            return value  # not a UUID: kept as it is (its shape is what matters)

    def coordinate(self, key, value):
        digest = self._digest("coordinate", f"{key}:{value}")
        low, high = (40.9, 41.2) if "lat" in key.lower() else (28.7, 29.3)
        decimals = len(repr(value).split(".")[-1]) if "." in repr(value) else 4
        return round(low + (high - low) * int.from_bytes(digest[:4], "big") / 2**32, decimals)


def anonymize(entry, salt):
    """A copy of a raw order with its personal data replaced by stable fakes.

    Replaced: the customer (names, phones, e-mails, any other value), the address (every
    text; coordinates; integers such as a floor are kept), the order's and the items'
    notes, phones and e-mails anywhere, and the payment key (a UUID derived from it).
    Kept: the structure (keys, types, lists or objects, empty values), the amounts,
    quantities, dates, statuses, ids, restaurant and dish names. A JSON text (a payload
    encoded twice) is anonymized inside and encoded again.
    """
    if not isinstance(entry, dict):
        return copy.deepcopy(entry)
    faker = Faker(salt)
    data = _walk(copy.deepcopy(entry), faker, "")
    if isinstance(data.get("payment_key"), str):
        data["payment_key"] = faker.payment_key(data["payment_key"])
    return data


def _walk(value, faker, scope, key=""):
    """``value`` with its personal data faked; ``scope`` is "customer", "address" or ""."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, (dict, list)):
            return json.dumps(_walk(decoded, faker, scope, key), ensure_ascii=False)
    if isinstance(value, dict):
        return {k: _walk(v, faker, _scope(scope, k), str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, faker, scope, key) for v in value]
    return _scalar(value, faker, scope, key)


def _scope(scope, key):
    if scope:
        return scope
    return {"customer": "customer", "address": "address"}.get(str(key).lower(), "")


def _scalar(value, faker, scope, key):
    if value is None or isinstance(value, bool):
        return value
    if _PHONE_KEYS.search(key):
        return faker.phone(value)
    if "mail" in key.lower():
        return faker.email(value)
    if scope == "customer":
        if key.lower() in ("name", "full_name", "ad_soyad", "first_name", "last_name", "ad", "soyad", "isim"):
            return faker.name(value)
        return faker.text(value, "token") if isinstance(value, str) else value
    if scope == "address":
        if isinstance(value, float):
            return faker.coordinate(key, value)
        if not isinstance(value, str):
            return value
        if key.lower() in ("description", "aciklama", "tarif", "note"):
            return faker.text(value, "note")
        return faker.text(value, "street" if key.lower() in ("address", "street", "adres", "") else "token")
    if key.lower() in _NOTE_KEYS and isinstance(value, str):
        return faker.text(value, "note")
    return value
