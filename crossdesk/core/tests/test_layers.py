"""scripts/check_layers.py: the import rules of docs/architecture.md."""

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _load():
    spec = importlib.util.spec_from_file_location("check_layers", REPO / "scripts" / "check_layers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


check_layers = _load()


def tree(root: Path, files: dict[str, str]) -> Path:
    """A fake ``crossdesk`` package: every app gets ``__init__.py`` and ``apps.py``."""
    package = root / "crossdesk"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for app in ("core", "org", "meetings", "collaboration"):
        (package / app).mkdir()
        (package / app / "__init__.py").write_text("")
        (package / app / "apps.py").write_text("")
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_clean_tree_passes(tmp_path, capsys):
    root = tree(
        tmp_path,
        {
            "core/records.py": "from crossdesk.core import forms\n",
            "org/selectors.py": "from crossdesk.core.records import plain\nfrom ._helpers import _x\n",
            "meetings/services/__init__.py": "from crossdesk.org.selectors import active_person\n",
            "meetings/services/_common.py": "from . import _private\n",
            "collaboration/flows.py": "from crossdesk.meetings.services import meeting_create\n",
            "collaboration/tests/test_x.py": "from crossdesk.meetings.services import meeting_create\n",
            "meetings/tests/test_y.py": "import crossdesk.collaboration.flows\n",
            "core/testing.py": "from crossdesk.org.models import Person\n",
            "core/tests/test_z.py": "from crossdesk.meetings.services import x\n",
        },
    )
    assert check_layers.check(root) == []
    assert check_layers.main(["check_layers", str(root)]) == 0
    assert "rules hold" in capsys.readouterr().out


def test_a_private_name_of_another_app_is_reported_with_file_and_line(tmp_path):
    root = tree(
        tmp_path,
        {
            "meetings/views.py": "import os\nfrom crossdesk.collaboration.services import _move, public\n",
            "org/api.py": "from crossdesk.meetings.services._common import aware\n",
            "org/views.py": "def f():\n    import crossdesk.meetings._util\n",
            "collaboration/panels.py": "from ..meetings import _panel\n",
            "collaboration/tests/test_p.py": "from crossdesk.meetings.services import _common\n",
        },
    )
    problems = check_layers.check(root)
    assert any(p.startswith("crossdesk/meetings/views.py:2:") and "_move" in p for p in problems)
    assert any(p.startswith("crossdesk/org/api.py:1:") and "_common" in p for p in problems)
    assert any(p.startswith("crossdesk/org/views.py:2:") and "_util" in p for p in problems)
    assert any(p.startswith("crossdesk/collaboration/panels.py:1:") and "_panel" in p for p in problems)
    # Tests too: a test reaching into another app's helpers breaks when that app changes.
    assert any(p.startswith("crossdesk/collaboration/tests/test_p.py:1:") for p in problems)
    assert not any("public" in p for p in problems)


def test_core_may_not_import_a_domain_app(tmp_path):
    root = tree(
        tmp_path, {"core/views.py": "x = 1\n\n\ndef v():\n    from crossdesk.meetings import selectors\n"}
    )
    [problem] = check_layers.check(root)
    assert problem.startswith("crossdesk/core/views.py:5:") and "meetings" in problem


def test_two_apps_importing_each_other_are_a_cycle_but_tests_do_not_count(tmp_path, capsys):
    root = tree(
        tmp_path,
        {
            "meetings/flows.py": "from crossdesk.collaboration.services import request_get\n",
            "collaboration/views.py": "\nfrom crossdesk.meetings import forms\n",
            "org/tests/test_a.py": "from crossdesk.meetings import forms\n",
            "meetings/selectors.py": "from crossdesk.org import selectors\n",
        },
    )
    problems = check_layers.check(root)
    assert len(problems) == 2
    assert any(p.startswith("crossdesk/collaboration/views.py:2:") for p in problems)
    assert any(p.startswith("crossdesk/meetings/flows.py:1:") for p in problems)
    assert all("cycle between collaboration, meetings" in p for p in problems)
    assert check_layers.main(["check_layers", str(root)]) == 1
    assert "crossdesk/meetings/flows.py:1:" in capsys.readouterr().out


def test_a_longer_loop_is_a_cycle_too(tmp_path):
    root = tree(
        tmp_path,
        {
            "org/a.py": "from crossdesk.meetings import x\n",
            "meetings/b.py": "from crossdesk.collaboration import y\n",
            "collaboration/c.py": "from crossdesk.org import z\n",
        },
    )
    problems = check_layers.check(root)
    assert len(problems) == 3
    assert all("cycle between collaboration, meetings, org" in p for p in problems)


def test_the_real_tree_keeps_the_import_rules(capsys):
    problems = check_layers.check(REPO)
    assert problems == [], "\n".join(problems)
