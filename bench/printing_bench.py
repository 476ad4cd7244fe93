"""Printed forms: how long a request's PDF takes to make and how big it is.

Run by hand, never in CI:

    .venv/bin/python bench/printing_bench.py            # 20 renders of each
    .venv/bin/python bench/printing_bench.py --n 50

Builds, in a fresh SQLite database under var/bench/, the test personas and one signed
request with three communication-log entries, then times ``render_pdf`` of its printed
form [000] (WeasyPrint layout + subsetting and embedding Noto Sans SC), the print view's
HTML, and the whole PDF view through Django's test client (visibility query included),
and the archived request's archive package.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure() -> None:
    os.environ.setdefault("CROSSDESK_MODE", "demo")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    data_dir = ROOT / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / "printing_bench.sqlite3"
    database.unlink(missing_ok=True)
    os.environ["CROSSDESK_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "crossdesk.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(label: str, n: int, run) -> object:
    times, result = [], None
    for _ in range(n):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{label:<38} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   (n={n})", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    configure()

    from django.test import Client
    from django.urls import reverse

    from crossdesk.collaboration import selectors, services
    from crossdesk.collaboration.printing import request_form, request_package
    from crossdesk.collaboration.tests import factories
    from crossdesk.core.printing import render_html, render_pdf
    from crossdesk.core.testing import make_personas
    from crossdesk.org.selectors import roles_for

    personas = make_personas()
    request = factories.confirmed(personas, urgency="urgent", resources_people="两名仓库临时工")
    for text in ("电话确认仓库系统故障已定位", "技术部两小时内修复分拣系统", "物流部当天完成补发并告知客户"):
        services.request_log(
            actor=personas.mkt_staff.user,
            request_id=request.pk,
            content=text,
            participants="物流部、客户服务部",
        )
    part = request.parts.get(department=personas.cs)
    services.part_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
    services.request_sign_initiator(actor=personas.mkt_head.user, request_id=request.pk)
    roles = roles_for(personas.mkt_staff.user)

    def form():
        return request_form(selectors.request_page(roles=roles, pk=request.pk))

    timed("print view HTML (render_html)", args.n, lambda: render_html(form()))
    content = timed("request PDF (render_pdf)", args.n, lambda: render_pdf(form()))
    assert isinstance(content, bytes)
    print(f"request PDF size: {len(content):,} bytes ({len(content) / 1024:.0f} KiB)")

    client = Client(HTTP_HOST="localhost")
    client.force_login(personas.mkt_staff.user)
    url = reverse("collaboration:pdf", args=[request.pk])

    def get_pdf():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    timed("GET /requests/{id}/pdf/ (test client)", args.n, get_pdf)

    services.request_archive(actor=personas.mkt_staff.user, request_id=request.pk)
    folder_and_zip = timed(
        "archive package (request_package)",
        max(1, args.n // 4),
        lambda: request_package(selectors.request_page(roles=roles, pk=request.pk)),
    )
    assert isinstance(folder_and_zip, tuple)
    print(f"archive package size: {len(folder_and_zip[1]):,} bytes")


if __name__ == "__main__":
    main()
