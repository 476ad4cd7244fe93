"""Search at scale: N submitted requests with their log entries, a full reindex, then
search and similar-case timings and what indexing adds to a submit.

Run by hand, never in CI:

    .venv/bin/python bench/search_bench.py                                # SQLite, 20,000 requests
    .venv/bin/python bench/search_bench.py --db postgres --n 100000       # crossdesk_bench_search

The generator is additive (a database holding fewer than N requests gets the missing
ones), written with bulk_create, so it sends no signals: the index is then built by
``index_rebuild`` (what ``crossdesk reindex`` runs), which is the reindex time reported.
Texts are random sentences of a vocabulary of this company's words, so one- and two-word
queries hit from a few dozen to a few thousand requests, as real ones would.

Measured in this process: the search API's selector (``search``, first page) for one- and
two-word queries, as the administrator and as the CS liaison (whose visibility is a
subquery per record type); ``similar_cases`` for request-like texts; ``request_submit``
with queued indexing (the default: a mark row and the worker's nudge), with inline indexing
(the documents rebuilt in the transaction) and with the index receivers disconnected.
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
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/crossdesk_bench_search"
TIMELINE_PER_REQUEST = 5
CHUNK = 5_000

WORDS = [
    "物流",
    "延迟",
    "仓库",
    "分拣",
    "配送",
    "客户",
    "投诉",
    "订单",
    "退款",
    "发票",
    "财务",
    "报销",
    "预算",
    "采购",
    "供应商",
    "合同",
    "审批",
    "系统",
    "故障",
    "升级",
    "服务器",
    "网络",
    "打印机",
    "扫码枪",
    "条码",
    "库存",
    "盘点",
    "差异",
    "备货",
    "旺季",
    "促销",
    "活动",
    "海报",
    "门店",
    "陈列",
    "培训",
    "招聘",
    "入职",
    "离职",
    "考勤",
    "排班",
    "加班",
    "工资",
    "社保",
    "质检",
    "返工",
    "包装",
    "破损",
    "赔付",
    "运输",
    "车辆",
    "司机",
    "线路",
    "时效",
    "签收",
    "退货",
    "换货",
    "售后",
    "维修",
    "安装",
    "调试",
    "验收",
    "交付",
    "需求",
    "变更",
    "评审",
    "测试",
    "上线",
    "数据",
    "报表",
    "导出",
    "权限",
    "账号",
    "密码",
    "邮件",
    "会议室",
    "设备",
    "空调",
    "电梯",
    "门禁",
    "安全",
    "消防",
    "检查",
    "整改",
]
CODES = ("A9", "Q3", "B2", "X5", "Q4", "K7")


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
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'search_bench.sqlite3'}"
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

    return f"p50 {pick(0.5):.1f} ms · p95 {pick(0.95):.1f} ms · max {ordered[-1]:.1f} ms (n={len(ordered)})"


def sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    if rng.random() < 0.2:
        picked.insert(rng.randrange(len(picked) + 1), rng.choice(CODES))
    return "".join(picked)


def personas():
    from crossdesk.core.testing import make_personas
    from crossdesk.org.models import Department

    if not Department.objects.filter(code="MKT").exists():
        make_personas()
    from crossdesk.org.models import Person

    return {
        "mkt": Department.objects.get(code="MKT"),
        "cs": Department.objects.get(code="CS"),
        "log": Department.objects.get(code="LOG"),
        "mkt_staff": Person.objects.get(employee_no="P001"),
        "cs_liaison": Person.objects.get(employee_no="P003"),
    }


def fill(n: int, org: dict, seed: int = 7) -> None:
    """Bulk-write the requests missing up to ``n``: submitted over two years, half to CS,
    half to LOG, each with its log entries."""
    from django.utils import timezone

    from crossdesk.collaboration.models import Request, RequestPart, TimelineEntry

    have = Request.objects.count()
    if have >= n:
        log(f"{have} requests already there")
        return
    rng = random.Random(seed + have)
    now = timezone.now()
    for start in range(have, n, CHUNK):
        stop = min(n, start + CHUNK)
        batch = []
        for i in range(start, stop):
            at = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            batch.append(
                Request(
                    number=f"XMB-{at.year}-{i + 1:07d}",
                    year=at.year,
                    status="submitted",
                    title=sentence(rng, 4),
                    initiating_department=org["mkt"],
                    initiator=org["mkt_staff"],
                    background=sentence(rng, 14),
                    current_situation=sentence(rng, 12),
                    expected_outcome=sentence(rng, 8),
                    submitted_at=at,
                    raised_on=at.date(),
                )
            )
        created = Request.objects.bulk_create(batch)
        parts, entries = [], []
        for request in created:
            department = org["cs"] if request.pk % 2 else org["log"]
            parts.append(RequestPart(request=request, department=department, role="receiving"))
            for k in range(TIMELINE_PER_REQUEST):
                entries.append(
                    TimelineEntry(
                        request=request,
                        kind="log",
                        at=request.submitted_at + timedelta(hours=k + 1),
                        actor_label="bench",
                        content=sentence(rng, 10),
                    )
                )
        RequestPart.objects.bulk_create(parts)
        TimelineEntry.objects.bulk_create(entries, batch_size=2000)
        log(f"requests {stop}/{n}")


def reindex() -> None:
    from crossdesk.search.services import index_rebuild

    started = time.perf_counter()
    last = [0.0]

    def progress(object_type: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 10 or done == total:
            last[0] = time.perf_counter()
            log(f"reindex {object_type}: {done}/{total}")

    written = index_rebuild(progress=progress)
    seconds = time.perf_counter() - started
    log(f"full reindex: {written} documents in {seconds:.1f} s ({written / seconds:.0f} documents/s)")


def time_searches(org: dict, rounds: int) -> None:
    from django.contrib.auth import get_user_model

    from crossdesk.search.selectors import SearchParams, search, similar_cases

    rng = random.Random(11)
    admin = get_user_model().objects.get(username="admin")
    viewers = {"admin": admin, "CS liaison": org["cs_liaison"].user}
    for label, user in viewers.items():
        for words in (1, 2):
            samples = []
            hits = 0
            for _ in range(rounds):
                q = " ".join(rng.choice(WORDS) for _ in range(words))
                started = time.perf_counter()
                page = search(user=user, params=SearchParams(q=q))
                samples.append((time.perf_counter() - started) * 1000)
                hits += len(page.items)
            log(f"search, {words} word(s), {label}: {percentiles(samples)}; {hits / rounds:.1f} hits a page")
    samples = []
    for _ in range(rounds):
        text = sentence(rng, 18)
        started = time.perf_counter()
        similar_cases(user=admin, text=text)
        samples.append((time.perf_counter() - started) * 1000)
    log(f"similar cases (resolved only: few in this data), admin: {percentiles(samples)}")


def time_submit(org: dict, rounds: int) -> None:
    """request_submit with and without the index receivers, alternating."""
    from django.db.models.signals import post_delete, post_save
    from django.utils import timezone

    from crossdesk.collaboration import services
    from crossdesk.search import receivers
    from crossdesk.search.documents import DEPENDENTS

    def draft():
        return services.request_create_draft(
            actor=org["mkt_staff"].user,
            data={
                "title": "扫码枪A9故障导致分拣延迟",
                "urgency": "normal",
                "type": "complaint",
                "background": "仓库分拣线扫码枪无法识别条码，订单配送延迟",
                "current_situation": "已临时改为人工录入",
                "expected_outcome": "三天内更换设备",
                "expected_completion_at": timezone.now() + timedelta(days=10),
                "receiving_departments": [org["cs"].pk],
                "informed_departments": [org["log"].pk],
            },
        )

    def toggle(on: bool) -> None:
        for model in DEPENDENTS:
            uid = f"search:{model._meta.label_lower}"
            if on:
                post_save.connect(receivers.refresh, sender=model, dispatch_uid=uid)
                post_delete.connect(receivers.refresh, sender=model, dispatch_uid=uid)
            else:
                post_save.disconnect(sender=model, dispatch_uid=uid)
                post_delete.disconnect(sender=model, dispatch_uid=uid)

    from django.test.utils import override_settings

    modes = ("queued", "inline", "none")
    timings: dict[str, list[float]] = {mode: [] for mode in modes}
    for i in range(rounds * len(modes)):
        mode = modes[i % len(modes)]
        toggle(mode != "none")
        with override_settings(CROSSDESK_SEARCH_INDEXING="inline" if mode == "inline" else "queued"):
            request = draft()
            started = time.perf_counter()
            services.request_submit(actor=org["mkt_staff"].user, request_id=request.pk)
            timings[mode].append((time.perf_counter() - started) * 1000)
    toggle(True)
    from crossdesk.search.services import pending_documents_rebuild

    started = time.perf_counter()
    rebuilt = pending_documents_rebuild()
    log(f"submit, queued indexing (mark + nudge): {percentiles(timings['queued'])}")
    log(f"submit, inline indexing (rebuild):      {percentiles(timings['inline'])}")
    log(f"submit without the index:               {percentiles(timings['none'])}")
    log(f"worker: {rebuilt} queued documents rebuilt in {(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--skip-reindex", action="store_true")
    args = parser.parse_args()
    configure(args)
    from django.db import connection

    log(f"database: {connection.vendor}")
    org = personas()
    fill(args.n, org)
    if not args.skip_reindex:
        reindex()
    time_searches(org, args.rounds)
    time_submit(org, max(10, args.rounds // 2))


if __name__ == "__main__":
    main()
