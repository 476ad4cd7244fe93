"""The 报表 figures at scale, on the requests bench generator's company (issue 12 §7).

Run by hand, never in CI:

    .venv/bin/python bench/reports_bench.py --n 100000                  # SQLite, var/bench/
    .venv/bin/python bench/reports_bench.py --n 100000 --db postgres    # crossdesk_bench

The requests come from ``requests_bench.generate`` (additive: a database that already
holds N requests is reused, also the one ``requests_bench.py`` made). Timed with Django's
test Client in this process (server time: middleware, view, queries, rendering):

- the dashboard page of the department with the most requests, for the last 365 days,
  as its head;
- the ranking of every department (API) for the last quarter, as an administrator;
- one scorecard (API) of that department for the last 365 days, as its head.

Target (issue 12 §7) at 1,000,000 requests: p95 ≤ 150 ms for each.
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import timedelta

import requests_bench as generator


def measure(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from crossdesk.collaboration.models import RequestInvolvement
    from crossdesk.org.models import Department, Person

    busiest = (
        RequestInvolvement.objects.values("department_id").annotate(n=Count("id")).order_by("-n").first()
    )
    if busiest is None:
        raise SystemExit("no requests: generate some first")
    department = Department.objects.get(pk=busiest["department_id"])
    head = Person.objects.select_related("user").get(pk=department.head_id)
    admin, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    today = timezone.localdate()
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
    quarter = {"from": (today - timedelta(days=91)).isoformat(), "to": today.isoformat()}
    generator.log(
        f"department {department.code}: {busiest['n']:,} involvements; year {year}, quarter {quarter}"
    )

    as_head, as_admin = Client(), Client()
    as_head.force_login(head.user)
    as_admin.force_login(admin)

    def get(client, url, params):
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"{url} → {response.status_code} {response.content[:300]!r}")
        return response

    cases = [
        (
            "dashboard page, busiest department, 365 days",
            lambda: get(as_head, f"/reports/departments/{department.code}/", {"period": "custom", **year}),
        ),
        ("ranking API, all departments, 92 days", lambda: get(as_admin, "/api/v1/reports/ranking", quarter)),
        (
            "scorecard API, busiest department, 365 days",
            lambda: get(as_head, f"/api/v1/reports/departments/{department.code}/scorecard", year),
        ),
        (
            "home page, all departments, 92 days",
            lambda: get(as_admin, "/reports/", {"period": "custom", **quarter}),
        ),
    ]
    for name, run in cases:
        samples = generator.timed(run, args.iterations)
        generator.log(f"{name:<46} {generator.percentiles(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="requests in the database (default 100,000)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", generator.PG_DEFAULT))
    parser.add_argument("--sqlite-file", default="requests.sqlite3", help="database file under var/bench/")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261010)
    args = parser.parse_args()
    args.no_jit = False
    generator.configure(args)
    from crossdesk.collaboration.involvement import involvement_rebuild
    from crossdesk.collaboration.models import Request

    generator.migrate()
    if Request.objects.count() < args.n:
        rng = random.Random(args.seed)
        generator.ensure_org(rng)
        generator.generate(args.n, random.Random(args.seed + args.n))
        involvement_rebuild()
    generator.log(f"N = {Request.objects.count():,} requests")
    measure(args)


if __name__ == "__main__":
    main()
