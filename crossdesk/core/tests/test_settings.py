import json
import os
import subprocess
import sys

PRINT_SECURITY = "import crossdesk.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"
PRINT_DATABASE = (
    "import json, crossdesk.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
)
POSTGRES_URL = "postgres://crossdesk@db.example:5432/crossdesk"


def run_settings(code=PRINT_SECURITY, **env):
    """Import the settings in a fresh interpreter with only `env` on top of a neutral environment."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "CROSSDESK_MODE", "PYTEST_VERSION"} and not k.startswith("DATABASE_")
    }
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True)


def database_settings(**env) -> dict:
    result = run_settings(PRINT_DATABASE, CROSSDESK_MODE="production", SECRET_KEY="x" * 50, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


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


def test_it_keeps_postgresql_connections_for_a_minute_with_health_checks():
    # dj_database_url.parse() returns CONN_MAX_AGE=0 itself, so a setdefault never applied.
    database = database_settings(DATABASE_URL=POSTGRES_URL)
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_it_opens_a_postgresql_connection_per_request_only_when_asked():
    assert database_settings(DATABASE_URL=POSTGRES_URL, DATABASE_CONN_MAX_AGE="0")["CONN_MAX_AGE"] == 0
    assert database_settings(DATABASE_URL=POSTGRES_URL, DATABASE_CONN_MAX_AGE="300")["CONN_MAX_AGE"] == 300


def test_it_adds_jit_off_to_the_options_of_the_database_url_instead_of_replacing_them():
    url = POSTGRES_URL + "?sslmode=require&options=-c%20statement_timeout%3D5000"
    options = database_settings(DATABASE_URL=url)["OPTIONS"]
    assert options["sslmode"] == "require"
    assert options["options"] == "-c statement_timeout=5000 -c jit=off"
    assert database_settings(DATABASE_URL=POSTGRES_URL)["OPTIONS"]["options"] == "-c jit=off"


def test_it_disables_server_side_cursors_behind_pgbouncer_only_when_asked():
    assert database_settings(DATABASE_URL=POSTGRES_URL)["DISABLE_SERVER_SIDE_CURSORS"] is False
    behind_pgbouncer = database_settings(DATABASE_URL=POSTGRES_URL, DATABASE_DISABLE_SERVER_SIDE_CURSORS="1")
    assert behind_pgbouncer["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_it_leaves_sqlite_connections_per_request_with_its_locking_options(tmp_path):
    database = database_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20
