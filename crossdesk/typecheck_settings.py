"""The settings mypy's Django plugin loads: the test settings, without needing the
environment that production requires (``make lint`` and a bare ``mypy`` both work)."""

import os

os.environ.setdefault("CROSSDESK_MODE", "test")

from crossdesk.settings import *  # noqa: E402, F403
