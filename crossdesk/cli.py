"""The ``crossdesk`` command: ``demo``, ``serve``, ``web``, ``worker``, ``scheduler``; anything
else is passed to Django's manage.py (``crossdesk migrate``, ``crossdesk createsuperuser`` …).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

USAGE = """usage: crossdesk <command> [options]

  demo        migrate, load the demo company, print its logins and serve it
              (web, worker and scheduler); --no-serve only loads
  serve       run web, worker and scheduler together until Ctrl-C
  web         the web server (gunicorn) on --host/--port (default 127.0.0.1:8000)
  worker      the background task worker (database queue, or Redis when REDIS_URL is set)
  scheduler   enqueue the periodic jobs of crossdesk/schedule.py when they fall due
  <other>     any Django management command (migrate, createsuperuser, shell, …)
"""


def _setup_environment(mode: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossdesk.settings")
    if mode:
        os.environ.setdefault("CROSSDESK_MODE", mode)


def manage(argv: list[str]) -> None:
    _setup_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _own_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "crossdesk.cli", *args]


def _web_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "crossdesk.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        os.environ.get("WEB_CONCURRENCY", "2"),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]


def _worker_command() -> list[str]:
    if os.environ.get("REDIS_URL"):
        # django-tasks-rq's jobs need its own Job class to run.
        return _own_command("rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job")
    return _own_command("db_worker", "--interval", "0.5")


def supervise(commands: dict[str, list[str]]) -> int:
    """Run the processes side by side; stop all of them when one ends or on Ctrl-C."""
    children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    try:
        while not stopping:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    print(f"crossdesk: {name} exited with code {code}; stopping the others.", file=sys.stderr)
                    exit_code = code or 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    return exit_code


def serve(host: str, port: int) -> int:
    return supervise(
        {
            "web": _web_command(host, port),
            "worker": _worker_command(),
            "scheduler": _own_command("scheduler"),
        }
    )


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="crossdesk demo")
    parser.add_argument("--no-serve", action="store_true", help="load the demo data, do not serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    _setup_environment("demo")
    import django
    from django.core.management import call_command

    django.setup()
    from crossdesk.core.i18n import compile_all

    compile_all()
    call_command("migrate", interactive=False, verbosity=0)
    print("✓ 数据库已迁移 (database migrated)")
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo")
    if args.no_serve:
        return 0
    print(f"\n→ Crossdesk 运行于 http://{args.host}:{args.port}/  (Ctrl-C 停止 / to stop)\n", flush=True)
    return serve(args.host, args.port)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        return demo(rest)
    if command in {"serve", "web"}:
        parser = argparse.ArgumentParser(prog=f"crossdesk {command}")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        args = parser.parse_args(rest)
        _setup_environment()
        if command == "serve":
            return serve(args.host, args.port)
        os.execv(sys.executable, _web_command(args.host, args.port))
    if command == "worker":
        _setup_environment()
        os.execv(sys.executable, _worker_command())
    manage(["crossdesk", command, *rest])
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] not in {"demo", "serve", "web", "worker", "-h", "--help", "help"}:
        manage(["crossdesk", *sys.argv[1:]])
    else:
        sys.exit(main())
