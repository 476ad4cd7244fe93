"""Fill Chinese translations into a catalogue from a JSON map {msgid: msgstr}
(used when adding UI strings: `crossdesk translations --sync`, then this, then --check)."""

import json
import sys
from pathlib import Path

import polib

catalogue, mapping = sys.argv[1], json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
po = polib.pofile(catalogue)
filled = 0
for entry in po:
    if entry.msgid in mapping and (not entry.msgstr or "fuzzy" in entry.flags):
        entry.msgstr = mapping[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
po.save()
print(f"{catalogue}: filled {filled}")
