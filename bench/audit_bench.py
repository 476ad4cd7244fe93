"""The audit trail at scale: fill the table with N rows, then time writes and history reads.

Run by hand, never in CI:

    .venv/bin/python bench/audit_bench.py                                   # SQLite, 100,000 rows
    .venv/bin/python bench/audit_bench.py --db postgres --n 5000000         # crossdesk_bench_audit
    .venv/bin/python bench/audit_bench.py --db postgres --n 50000000

The generator is additive: a table holding fewer than N rows gets the missing ones (on
PostgreSQL one set-based ``INSERT … SELECT … FROM generate_series`` per million rows, with
the indexes in place, as production would grow). Rows are spread over two years, over
every audited record type, ~25 rows per record, a fifth by the system.

Measured in this process, with the indexes of ``audit.AuditEvent``:

- an audited change (a department renamed: auditlog's SELECT of the old row + our INSERT)
  against the same change with the trail switched off, and one bare audit INSERT;
- one record's history, first page (the API's and the history tab's query), at random
  records; the administrator's first page unfiltered, one day, one person;
- EXPLAIN of the history and first-page queries, table and index sizes.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/crossdesk_bench_audit"
ROWS_PER_RECORD = 25
CHUNK = 1_000_000
SPAN_DAYS = 730


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def configure(args) -> None:
    """Point Django at the bench database (never the real one) and start it."""
    os.environ.setdefault("CROSSDESK_MODE", "demo")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    data_dir = ROOT / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CROSSDESK_DATA_DIR"] = str(data_dir)
    if args.db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'audit_bench.sqlite3'}"
    else:
        os.environ["DATABASE_URL"] = args.pg_url
        ensure_pg_database(args.pg_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "crossdesk.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return (
        f"n={len(ordered):>4}  p50={pick(0.5) * 1000:7.2f} ms  p95={pick(0.95) * 1000:7.2f} ms  "
        f"max={ordered[-1] * 1000:7.2f} ms  (load {os.getloadavg()[0]:.1f})"
    )


def timed(fn, iterations: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


# --- generating ------------------------------------------------------------------------------


def audited_types() -> list[int]:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from crossdesk.audit.registration import AUDITED

    return [ContentType.objects.get_for_model(apps.get_model(label)).pk for label in sorted(AUDITED)]


def bench_users(count: int = 50) -> list[int]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for i in range(count - User.objects.filter(username__startswith="audit-bench-").count()):
        User.objects.create(username=f"audit-bench-{i}-{random.randrange(10**9)}")
    return list(User.objects.filter(username__startswith="audit-bench-").values_list("id", flat=True))


def objects_per_type(n: int, types: int) -> int:
    return max(1, n // (types * ROWS_PER_RECORD))


def generate(n: int) -> None:
    from django.db import connection, transaction

    from crossdesk.audit.models import AuditEvent

    have = AuditEvent.objects.count()
    if have >= n:
        log(f"table holds {have:,} rows (≥ {n:,}): nothing to generate")
        return
    types, users = audited_types(), bench_users()
    per_type = objects_per_type(n, len(types))
    log(f"generating {n - have:,} rows ({have:,} there): {len(types)} types × {per_type:,} records")
    # Past a few million rows, building the secondary indexes once at the end is several
    # times faster than growing them row by row; the writes are measured with them in place.
    rebuild = connection.vendor == "postgresql" and n - have > 5 * CHUNK
    definitions = drop_secondary_indexes() if rebuild else []
    started = time.perf_counter()
    for first in range(have + 1, n + 1, CHUNK):
        last = min(n, first + CHUNK - 1)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                insert_postgres(first, last, n, types, users, per_type)
            else:
                insert_python(first, last, n, types, users, per_type)
        rate = (last - have) / (time.perf_counter() - started)
        log(f"  … {last:,} rows ({rate:,.0f} rows/s)")
    if definitions:
        with connection.cursor() as cursor:
            for definition in definitions:
                began = time.perf_counter()
                cursor.execute(definition)
                log(f"  index rebuilt in {time.perf_counter() - began:,.0f} s: {definition}")


def drop_secondary_indexes() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_auditevent'"
            " AND indexname <> 'audit_auditevent_pkey'"
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def insert_postgres(first: int, last: int, n: int, types: list[int], users: list[int], per_type: int) -> None:
    from django.db import connection

    sql = """
        INSERT INTO audit_auditevent (
            content_type_id, object_pk, object_id, object_repr, action, changes_text, changes,
            actor_id, timestamp, via, actor_label, reason)
        SELECT t.ct, t.oid::text, t.oid, 'record ' || t.oid, CASE WHEN g %% 25 = 0 THEN 0 ELSE 1 END, '',
               jsonb_build_object('status', jsonb_build_array('in_progress', 'resolved'),
                                  'title', jsonb_build_array('title ' || g, 'title ' || (g + 1))),
               CASE WHEN g %% 5 = 0 THEN NULL ELSE (%(users)s)[1 + (g %% %(nusers)s)] END,
               now() - make_interval(secs => (%(n)s - g)::float8 * %(span)s / %(n)s),
               (ARRAY['page', 'api', 'page', 'admin', 'system'])[1 + (g %% 5)],
               CASE WHEN g %% 5 = 0 THEN '系统（时限提醒）' ELSE '' END, ''
        FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g,
             LATERAL (SELECT (%(types)s)[1 + (g %% %(ntypes)s)] AS ct,
                             1 + (((g / %(ntypes)s) * 7919) %% %(per_type)s) AS oid) AS t
    """
    params = {
        "users": users,
        "nusers": len(users),
        "types": types,
        "ntypes": len(types),
        "per_type": per_type,
        "n": n,
        "span": SPAN_DAYS * 86400,
        "first": first,
        "last": last,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert_python(first: int, last: int, n: int, types: list[int], users: list[int], per_type: int) -> None:
    from django.utils import timezone

    from crossdesk.audit.models import AuditEvent

    now = timezone.now()
    rows = []
    for g in range(first, last + 1):
        oid = 1 + ((g // len(types)) * 7919) % per_type
        rows.append(
            AuditEvent(
                content_type_id=types[g % len(types)],
                object_pk=str(oid),
                object_id=oid,
                object_repr=f"record {oid}",
                action=0 if g % 25 == 0 else 1,
                changes={"status": ["in_progress", "resolved"], "title": [f"title {g}", f"title {g + 1}"]},
                actor_id=None if g % 5 == 0 else users[g % len(users)],
                timestamp=now - timedelta(seconds=(n - g) * SPAN_DAYS * 86400 / n),
                via=["page", "api", "page", "admin", "system"][g % 5],
                actor_label="系统（时限提醒）" if g % 5 == 0 else "",
            )
        )
    AuditEvent.objects.bulk_create(rows, batch_size=2000)


# --- measuring -------------------------------------------------------------------------------


def measure_writes(iterations: int) -> None:
    from auditlog.context import disable_auditlog
    from django.db import transaction

    from crossdesk.audit.context import audit_context
    from crossdesk.audit.models import AuditEvent, Via
    from crossdesk.org.models import Department

    department, _created = Department.objects.get_or_create(code="AUDITB", defaults={"name": "审计压测"})
    user_id = bench_users()[0]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    counter = iter(range(10**9))

    def rename():
        with transaction.atomic():
            department.name = f"审计压测 {next(counter)}"
            department.save()

    with audit_context(via=Via.PAGE, actor=user):
        audited = timed(rename, iterations)
        with disable_auditlog():
            bare = timed(rename, iterations)

        def insert():
            with transaction.atomic():
                AuditEvent.objects.create(
                    content_type_id=audited_types()[0],
                    object_pk="1",
                    object_id=1,
                    object_repr="x",
                    action=1,
                    changes={"name": ["a", "b"]},
                )

        inserts = timed(insert, iterations)
    log(f"audited change (save + trail)   {percentiles(audited)}")
    log(f"same change, trail off          {percentiles(bare)}")
    log(f"one audit INSERT (own txn)      {percentiles(inserts)}")


def measure_reads(iterations: int, n: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from crossdesk.audit.filters import AuditFilter
    from crossdesk.audit.selectors import page_of

    types = audited_types()
    per_type = objects_per_type(n, len(types))
    labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.filter(pk__in=types)}
    rng = random.Random(7)
    found = []

    def history():
        ct = rng.choice(types)
        page = page_of(AuditFilter(object_type=labels[ct], object_id=rng.randint(1, per_type)).queryset(), 1)
        found.append(len(page.items))

    log(
        f"one record's history, page 1    {percentiles(timed(history, iterations))}  rows/page≈{sum(found) / len(found):.0f}"
    )
    first_page = timed(lambda: page_of(AuditFilter().queryset(), 1), iterations // 4 or 1)
    log(f"admin first page, unfiltered    {percentiles(first_page)}")
    day = timezone.localdate() - timedelta(days=200)
    one_day = timed(
        lambda: page_of(AuditFilter(date_from=day, date_to=day).queryset(), 1), iterations // 4 or 1
    )
    log(f"admin one day (200 days ago)    {percentiles(one_day)}")
    actor = str(bench_users()[3])
    by_person = timed(lambda: page_of(AuditFilter(actor=actor).queryset(), 1), iterations // 4 or 1)
    log(f"admin one person, page 1        {percentiles(by_person)}")


def explain(n: int) -> None:
    from django.db import connection

    from crossdesk.audit.filters import AuditFilter

    if connection.vendor != "postgresql":
        return
    types = audited_types()
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get(pk=types[len(types) // 2])
    record = AuditFilter(object_type=f"{ct.app_label}.{ct.model}", object_id=42).queryset()[:51]
    log(f"record {ct.app_label}.{ct.model} #42 has {record.count()} rows")
    log("EXPLAIN one record's history:\n" + record.explain(analyze=True, buffers=True))
    log("EXPLAIN admin first page:\n" + AuditFilter().queryset()[:51].explain(analyze=True, buffers=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('audit_auditevent')),"
            " pg_size_pretty(pg_indexes_size('audit_auditevent')),"
            " pg_size_pretty(pg_total_relation_size('audit_auditevent'))"
        )
        table, indexes, total = cursor.fetchone()
        cursor.execute(
            "SELECT indexrelname, pg_size_pretty(pg_relation_size(indexrelid)) FROM pg_stat_user_indexes"
            " WHERE relname = 'audit_auditevent' ORDER BY indexrelname"
        )
        each = ", ".join(f"{name} {size}" for name, size in cursor.fetchall())
    log(f"sizes: table {table}, indexes {indexes} ({each}), total {total}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT))
    parser.add_argument("--n", type=int, default=100_000, help="rows in the audit table")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--only", choices=["generate", "measure"])
    args = parser.parse_args()
    configure(args)
    if args.only != "measure":
        generate(args.n)
    if args.only != "generate":
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE audit_auditevent")
        from crossdesk.audit.models import AuditEvent

        log(f"audit rows: {AuditEvent.objects.count():,}")
        measure_writes(args.iterations)
        measure_reads(args.iterations, args.n)
        explain(args.n)


if __name__ == "__main__":
    main()
