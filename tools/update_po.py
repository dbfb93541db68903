#!/usr/bin/env python3
"""Merge i18n/pos_dukkango.pot into i18n/tr.po (keeps translations, adds new msgids,
drops obsolete ones) and report untranslated entries. Needs polib (in Odoo's venv).

    python tools/update_po.py          # merge
    python tools/update_po.py --check  # exit 1 if tr.po misses a translation
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def main():
    pot = polib.pofile(str(ROOT / "i18n" / "pos_dukkango.pot"))
    po_path = ROOT / "i18n" / "tr.po"
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    if "--check" not in sys.argv:
        po.merge(pot)
        po.obsolete_entries()
        for entry in po.obsolete_entries():
            po.remove(entry)
        po.metadata.update(
            {
                "Project-Id-Version": pot.metadata.get("Project-Id-Version", "Odoo Server 18.0"),
                "Language": "tr",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "",
                "Plural-Forms": "nplurals=2; plural=(n > 1);",
            }
        )
        po.save(str(po_path))
    missing = [entry.msgid for entry in po if not entry.msgstr and not entry.obsolete]
    known = {entry.msgid for entry in pot}
    stale = [entry.msgid for entry in po if entry.msgid not in known]
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    for msgid in stale:
        print(f"not in the .pot: {msgid!r}", file=sys.stderr)
    return 1 if missing or stale else 0


if __name__ == "__main__":
    sys.exit(main())
