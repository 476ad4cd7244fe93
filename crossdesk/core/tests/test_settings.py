import os
import subprocess
import sys


def run_settings(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "CROSSDESK_MODE", "PYTEST_VERSION"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import crossdesk.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"],
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(CROSSDESK_MODE="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_runs_without_debug_and_with_secure_cookies():
    result = run_settings(CROSSDESK_MODE="production", SECRET_KEY="x" * 50)
    assert result.stdout.split() == ["False", "True"]


def test_the_demo_generates_its_secret_key_once(tmp_path):
    first = run_settings(CROSSDESK_MODE="demo", CROSSDESK_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    run_settings(CROSSDESK_MODE="demo", CROSSDESK_DATA_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == key
