"""Translation catalogues without GNU gettext: extract msgids, sync .po files, compile .mo.

Each app keeps ``<app>/locale/zh_Hans/LC_MESSAGES/django.po``; the site-wide templates use
``crossdesk/locale``. ``polib`` writes the ``.mo`` files, so no ``msgfmt`` is needed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LANGUAGE_DIR = "zh_Hans"
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
SKIPPED_PARTS = {"migrations", "tests", "__pycache__", "node_modules"}

TRANSLATE_TAG = re.compile(
    r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)"""
    r"""(?:\s+context\s+(?P<cq>["'])(?P<context>.*?)(?P=cq))?(?:\s+[^%]*)?%}"""
)
BLOCK_TAG = re.compile(
    r"{%\s*blocktranslate(?P<args>[^%]*)%}(?P<body>.*?)(?:{%\s*plural\s*%}.*?)?{%\s*endblocktranslate\s*%}",
    re.DOTALL,
)
BLOCK_VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def catalogue_path(directory: Path) -> Path:
    return directory / "locale" / LANGUAGE_DIR / "LC_MESSAGES" / "django.po"


def catalogue_for(source: Path) -> Path:
    """The .po file that owns a source file: its app's, or the site-wide one."""
    relative = source.relative_to(PACKAGE_DIR)
    first = relative.parts[0]
    app_dir = PACKAGE_DIR / first
    if (app_dir / "apps.py").exists():
        return catalogue_path(app_dir)
    return catalogue_path(PACKAGE_DIR)


def _source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix not in {".py", ".html", ".txt"} or SKIPPED_PARTS & set(path.parts):
            continue
        if path.suffix == ".txt" and "templates" not in path.parts:
            continue
        yield path


def _python_msgids(path: Path) -> Iterator[tuple[str, str | None]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_NAMES or not node.args:
            continue
        args = node.args
        context = None
        if name.startswith("pgettext"):
            if len(args) < 2 or not isinstance(args[0], ast.Constant):
                continue
            context, args = str(args[0].value), args[1:]
        if isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            yield args[0].value, context


def _template_msgids(path: Path) -> Iterator[tuple[str, str | None]]:
    text = path.read_text(encoding="utf-8")
    for match in TRANSLATE_TAG.finditer(text):
        yield match.group("msgid"), match.group("context")
    for match in BLOCK_TAG.finditer(text):
        body = BLOCK_VARIABLE.sub(lambda m: f"%({m.group(1)})s", match.group("body"))
        if "trimmed" in match.group("args"):
            body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
        yield body, None


def extract() -> dict[tuple[str, str | None], set[Path]]:
    """Every translatable string in the package, with the files it appears in."""
    found: dict[tuple[str, str | None], set[Path]] = {}
    for path in _source_files():
        reader = _python_msgids if path.suffix == ".py" else _template_msgids
        for msgid, context in reader(path):
            if msgid.strip():
                found.setdefault((msgid, context), set()).add(path)
    return found


def catalogues() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob(f"locale/{LANGUAGE_DIR}/LC_MESSAGES/django.po"))


def translated_msgids() -> dict[tuple[str, str | None], str]:
    result: dict[tuple[str, str | None], str] = {}
    for po_path in catalogues():
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and not entry.fuzzy and not entry.obsolete:
                result[(entry.msgid, entry.msgctxt)] = entry.msgstr
    return result


def missing() -> dict[tuple[str, str | None], set[Path]]:
    """Strings with no Chinese translation in any catalogue."""
    done = translated_msgids()
    return {key: paths for key, paths in extract().items() if key not in done}


def sync() -> int:
    """Append untranslated strings (empty msgstr) to the catalogue of the app they appear in."""
    added = 0
    existing_by_file: dict[Path, polib.POFile] = {}
    known = {(e.msgid, e.msgctxt) for p in catalogues() for e in polib.pofile(str(p))}
    for (msgid, context), paths in sorted(missing().items(), key=lambda item: item[0][0]):
        if (msgid, context) in known:
            continue
        po_path = catalogue_for(sorted(paths)[0])
        if po_path not in existing_by_file:
            po_path.parent.mkdir(parents=True, exist_ok=True)
            po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
            po.metadata = po.metadata or {
                "Content-Type": "text/plain; charset=UTF-8",
                "Language": "zh_Hans",
                "Plural-Forms": "nplurals=1; plural=0;",
            }
            existing_by_file[po_path] = po
        existing_by_file[po_path].append(polib.POEntry(msgid=msgid, msgctxt=context, msgstr=""))
        known.add((msgid, context))
        added += 1
    for po_path, po in existing_by_file.items():
        po.save(str(po_path))
    return added


def compile_all() -> int:
    """Write a .mo beside every .po; returns how many were written."""
    count = 0
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    return count
