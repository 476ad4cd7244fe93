"""Fill Chinese translations into a catalogue: po_fill.py PO_FILE < mapping.json ({"msgid": "译文"})."""

import json
import sys

import polib

po = polib.pofile(sys.argv[1])
mapping = json.load(sys.stdin)
filled = 0
for entry in po:
    if entry.msgid in mapping:
        entry.msgstr = mapping[entry.msgid]
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        filled += 1
po.save()
untranslated = [e.msgid for e in po if not e.msgstr]
print(f"filled {filled}; still untranslated in {sys.argv[1]}: {untranslated}")
