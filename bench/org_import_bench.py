"""Benchmark: import 20,000 people and ~200 departments from one .xlsx workbook.

Runs the real import service (read → validate → write in one transaction) against the
configured database: SQLite by default, PostgreSQL when DATABASE_URL is set. The schema
is created in a throwaway test database (``setup_databases``), never in yours.

    .venv/bin/python bench/org_import_bench.py [--people 20000] [--departments 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crossdesk_bench .venv/bin/python bench/org_import_bench.py

Prints seconds per phase for a first import (everything new), a re-import of the same
file (nothing changes) and a re-import with 10 % of the people changed. Target: < 30 s.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CROSSDESK_MODE", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossdesk.settings")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
DOUBLE_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "慕容"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文宇浩然子涵欣怡梓萱一诺晨雨佳琪思远俊杰雪梅海燕春晓婷婷立新德胜"
DIVISIONS = [
    ("RD", "研发中心"),
    ("SAL", "销售中心"),
    ("MKT", "市场中心"),
    ("OPS", "运营中心"),
    ("SC", "供应链中心"),
    ("MFG", "制造中心"),
    ("QA", "质量中心"),
    ("FIN", "财务中心"),
    ("HR", "人力资源中心"),
    ("IT", "信息技术中心"),
]
TEAMS = [
    "一部",
    "二部",
    "三部",
    "四部",
    "五部",
    "华东区",
    "华南区",
    "华北区",
    "西南区",
    "平台组",
    "产品组",
    "测试组",
]
TITLES = ["专员", "高级专员", "主管", "工程师", "高级工程师", "经理", "助理", "分析师", "顾问", "组长"]


def chinese_name(rng: random.Random) -> str:
    surname = rng.choice(DOUBLE_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def build_tables(people: int, departments: int, seed: int = 7) -> tuple[list[list], list[list]]:
    """Rows (headers first) of the 部门 and 人员 sheets: a two-level tree, a head and a
    liaison per department, executives as supervisors, 10 % of people in two departments."""
    from crossdesk.org.importing import DEPARTMENTS, PEOPLE

    rng = random.Random(seed)
    codes: list[tuple[str, str, str | None]] = [("CEO", "总经办", None)]
    per_division = max(1, (departments - 1 - len(DIVISIONS)) // len(DIVISIONS))
    for code, name in DIVISIONS:
        codes.append((code, name, "CEO"))
        for i in range(per_division):
            codes.append(
                (f"{code}{i + 1:02d}", f"{name}{TEAMS[i % len(TEAMS)]}{i // len(TEAMS) or ''}", code)
            )
    numbers = [f"E{i:06d}" for i in range(1, people + 1)]
    # The first people head the departments, the next are liaisons; 1..10 are executives.
    executives = numbers[1:11]
    dept_rows = [DEPARTMENTS.headers]
    member_of: dict[str, list[str]] = {}
    for index, (code, name, parent) in enumerate(codes):
        head = numbers[index] if index < people else numbers[0]
        liaison = numbers[len(codes) + index] if len(codes) + index < people else ""
        supervisors = "、".join(rng.sample(executives, 2)) if parent else ""
        dept_rows.append([code, name, parent or "", head, liaison, supervisors, index, "是"])
        member_of[head] = [code]
        if liaison:
            member_of[liaison] = [code]
    leaf_codes = [c for c, _n, p in codes if p and p != "CEO"] or [codes[0][0]]
    person_rows = [PEOPLE.headers]
    for number in numbers:
        depts = member_of.get(number) or [rng.choice(leaf_codes)]
        if rng.random() < 0.1:
            second = rng.choice(leaf_codes)
            if second not in depts:
                depts = [*depts, second]
        n = int(number[1:])
        person_rows.append(
            [
                number,
                chinese_name(rng),
                "、".join(depts),
                rng.choice(TITLES),
                f"8{n % 10000:04d}",
                f"{number.lower()}@example.com.cn",
                f"ding_{number.lower()}",
                f"wecom_{n}",
                f"ou_{n:08x}",
                "是",
            ]
        )
    return dept_rows, person_rows


def workbook_bytes(dept_rows: list[list], person_rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in (("部门", dept_rows), ("人员", person_rows)):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(admin, content: bytes, label: str) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crossdesk.org import services
    from crossdesk.org.models import ImportJob

    started = time.perf_counter()
    job = services.import_job_create(actor=admin, workbook=SimpleUploadedFile("bench.xlsx", content))
    job.refresh_from_db()
    if job.status == ImportJob.Status.PENDING:  # a queueing task backend: run it here
        job = services.import_job_run(job_id=job.pk)
    wall = time.perf_counter() - started
    if job.status != ImportJob.Status.SUCCEEDED:
        raise SystemExit(f"{label}: import failed: {job.errors[:5]}")
    t = job.timings
    print(
        f"{label:<34} read {t['read']:6.2f}s  validate {t['validate']:6.2f}s  write {t['write']:6.2f}s  "
        f"total {t['total']:6.2f}s  (wall {wall:5.2f}s)  "
        f"created {job.departments_created}+{job.people_created}, updated {job.departments_updated}+{job.people_updated}",
        flush=True,
    )
    return t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--departments", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    tmp = tempfile.TemporaryDirectory(prefix="crossdesk-bench-")
    settings.MEDIA_ROOT = Path(tmp.name) / "uploads"
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(tmp.name) / "bench.sqlite3")  # a real file, as in production
    else:
        test_settings["NAME"] = "test_crossdesk_org_bench"
    print(f"database: {connection.vendor}, throwaway {test_settings['NAME']}", flush=True)

    started = time.perf_counter()
    dept_rows, person_rows = build_tables(args.people, args.departments)
    content = workbook_bytes(dept_rows, person_rows)
    print(
        f"generated {len(dept_rows) - 1} departments and {len(person_rows) - 1} people "
        f"({len(content) / 1048576:.1f} MB .xlsx) in {time.perf_counter() - started:.1f}s",
        flush=True,
    )

    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from crossdesk.core.models import User

        admin = User.objects.create(username="bench-admin", is_staff=True, is_superuser=True)
        first = run(admin, content, "first import (all new)")
        run(admin, content, "same file again (nothing changes)")
        rng = random.Random(11)
        for row in rng.sample(person_rows[1:], len(person_rows) // 10):
            row[3] = "调岗" + row[3]
            row[4] = f"9{row[4][1:]}"
        run(admin, workbook_bytes(dept_rows, person_rows), "10 % of people changed")
    finally:
        teardown_databases(old_config, verbosity=0)
        tmp.cleanup()
    verdict = "OK" if first["total"] < 30 else "TOO SLOW"
    print(f"first import total {first['total']:.2f}s (target < 30 s): {verdict}")
    return 0 if first["total"] < 30 else 1


if __name__ == "__main__":
    sys.exit(main())
