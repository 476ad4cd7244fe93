"""Is a service the test suite needs here? Exit 0 if yes; otherwise say so loudly and exit 1.

The Makefile fails the run when CI=true; on a developer's machine it skips that stage
with this message, so a missing service is never skipped silently.
"""

import os
import shutil
import sys

BANNER = "!" * 78


def complain(message: str) -> None:
    ci = os.environ.get("CI") == "true"
    print(f"{BANNER}\n{'FAIL' if ci else 'SKIPPED'}: {message}\n{BANNER}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    what = sys.argv[1]
    if what == "postgres":
        import psycopg

        url = sys.argv[2]
        try:
            psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()
        except psycopg.Error as exc:
            complain(f"PostgreSQL is not reachable at {url}: {exc}".strip())
    elif what == "chromium":
        if not (os.path.exists("/usr/bin/chromium") or shutil.which("chromium")):
            complain(
                "Chromium is missing: apt-get install -y chromium (browser tests use /usr/bin/chromium)."
            )
    else:
        complain(f"unknown requirement {what!r}")


if __name__ == "__main__":
    main()
