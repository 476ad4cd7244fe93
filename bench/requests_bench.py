"""Collaboration requests at scale: generate N requests, then time the pages that matter.

Run by hand, never in CI:

    .venv/bin/python bench/requests_bench.py --n 10000                  # SQLite, var/bench/
    .venv/bin/python bench/requests_bench.py --n 100000 --db postgres   # crossdesk_bench
    .venv/bin/python bench/requests_bench.py --n 1000000 --only generate

The generator is additive: a database holding fewer than N requests gets the missing
ones, so 10,000 → 100,000 → 1,000,000 reuses the earlier work. Every row is written with
``bulk_create`` in batches, primary keys assigned here (parts, clocks and timeline rows
point at each other without a round trip), number series continued gap-free per year.

What a generated company looks like: 20 departments of 50 people; requests spread over
three years; those raised in the last 30 days are open (submitted, in progress, resolved,
confirmed), older ones closed (archived mostly); 1–3 receiving departments and sometimes
an informed one; ~10 timeline rows per request; the clocks SPEC §3 starts (respond, name
a liaison, first contact, follow up, resolve), met or cancelled on closed requests.

Measured with Django's test Client in this process (server time: middleware, view,
queries, JSON; no network), as the head of one department:

- the department inbox, first page and a deep page (page 2000 of 50 rows, or the last);
- the request page (random requests of that department);
- submitting a request (create the draft, then submit it);
- one deadline sweep over 100,000 open clocks, with a share due and with nothing due.

Targets (the issue) at 1,000,000 requests: inbox and request page p95 < 50 ms, submit
< 20 ms, one sweep over 100,000 open clocks < 2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/crossdesk_bench"
BATCH = 2000  # requests per generated batch (×~18 rows each)
DEPARTMENTS = 20
PEOPLE_PER_DEPARTMENT = 50
YEARS_OF_HISTORY = 3
OPEN_WINDOW_DAYS = 30
SWEEP_OPEN_CLOCKS = 100_000
PAGE_SIZE = 50
DEEP_PAGE = 2000

DEPARTMENT_NAMES = [
    "市场部", "销售部", "客户服务部", "物流部", "技术部", "研发部", "质量部", "采购部", "生产部", "财务部",
    "人力资源部", "行政部", "法务部", "信息部", "售后服务部", "仓储部", "品牌部", "战略部", "审计部", "安全部",
]  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
TOPICS = [
    (
        "客户订单物流延迟投诉",
        "客户反馈订单物流延迟3天",
        "仓库系统故障导致分拣异常",
        "24小时内完成配送并告知客户",
    ),
    ("新品上市需要技术支持", "新品计划下月上市", "培训资料尚未准备", "技术部提供产品培训与资料"),
    ("报销流程卡点", "差旅报销审批超过两周", "财务审核环节排队", "报销审批在5个工作日内完成"),
    ("申请临时人手支援促销", "双十一促销活动", "客服人手不足", "借调3名客服支援两周"),
    ("系统权限申请", "新员工入职", "无法登录CRM系统", "两天内开通权限"),
    ("质量投诉处理", "批次产品外观瑕疵", "客户要求退换", "质量部分析原因并给出整改方案"),
]


# --- setup ---------------------------------------------------------------------------------


def configure(args) -> None:
    """Point Django at the bench database (never the real one) and start it."""
    os.environ.setdefault("CROSSDESK_MODE", "demo")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    data_dir = ROOT / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CROSSDESK_DATA_DIR"] = str(data_dir)
    if args.db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / args.sqlite_file}"
    else:
        os.environ["DATABASE_URL"] = args.pg_url
        ensure_pg_database(args.pg_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "crossdesk.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if args.db == "postgres" and getattr(args, "no_jit", False):
        # What the settings should do for OLTP (see the report): JIT compiles cost 30–40 ms
        # per query here whenever the planner's estimate passes jit_above_cost.
        from django.db.backends.signals import connection_created

        def jit_off(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")

        connection_created.connect(jit_off, weak=False)


def ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the organisation ----------------------------------------------------------------------


def ensure_org(rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from crossdesk.org.models import Department, Membership, Person

    if Department.objects.filter(code="D01").exists():
        return
    User = get_user_model()
    with transaction.atomic():
        departments = Department.objects.bulk_create(
            [
                Department(code=f"D{i + 1:02d}", name=DEPARTMENT_NAMES[i], sort_order=i + 1)
                for i in range(DEPARTMENTS)
            ]
        )
        departments = list(Department.objects.filter(code__startswith="D").order_by("code"))
        executive = Department.objects.create(code="GM", name="总经办", sort_order=0)
        users, people, memberships = [], [], []
        for d_index, department in enumerate([executive, *departments]):
            count = 4 if department is executive else PEOPLE_PER_DEPARTMENT
            for p_index in range(count):
                username = f"bench-{department.code.lower()}-{p_index:03d}"
                users.append(User(username=username, password="!"))
                people.append(
                    Person(
                        employee_no=f"B{d_index:02d}{p_index:03d}",
                        name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                        title="员工",
                        phone=f"8{d_index:02d}{p_index:03d}",
                    )
                )
        User.objects.bulk_create(users)
        by_name = dict(User.objects.filter(username__startswith="bench-").values_list("username", "pk"))
        for user, person in zip(users, people, strict=True):
            person.user_id = by_name[user.username]
        Person.objects.bulk_create(people)
        people = list(Person.objects.filter(employee_no__startswith="B").order_by("employee_no"))
        offset = 0
        for department in [executive, *departments]:
            count = 4 if department is executive else PEOPLE_PER_DEPARTMENT
            members = people[offset : offset + count]
            offset += count
            memberships += [Membership(person=p, department=department, is_primary=True) for p in members]
            department.head = members[0]
            department.default_liaison = members[1]
        Membership.objects.bulk_create(memberships)
        Department.objects.bulk_update([executive, *departments], ["head", "default_liaison"])
        supervisors = people[:4]  # the executives
        for i, department in enumerate(departments):
            department.supervisors.add(supervisors[i % 4])
    log(f"organisation: {DEPARTMENTS} departments × {PEOPLE_PER_DEPARTMENT} people, 4 supervisors")


# --- requests ------------------------------------------------------------------------------


class Org:
    """The generated company, loaded once: who is in which department."""

    def __init__(self):
        from crossdesk.org.models import Department, Membership

        self.departments = list(
            Department.objects.filter(code__startswith="D")
            .order_by("code")
            .values_list("pk", "head_id", "default_liaison_id")
        )
        self.members: dict[int, list[int]] = {}
        for person_id, department_id in Membership.objects.values_list("person_id", "department_id"):
            self.members.setdefault(department_id, []).append(person_id)
        self.head = {d: h for d, h, _l in self.departments}
        self.liaison = {d: lia for d, _h, lia in self.departments}
        self.ids = [d for d, _h, _l in self.departments]


class Ids:
    """The next primary key of each generated table (keys are assigned here)."""

    def __init__(self, models):
        from django.db.models import Max

        self.next = {m: (m.objects.aggregate(n=Max("pk"))["n"] or 0) + 1 for m in models}

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


def _policy_ids() -> dict[tuple[str, str], int]:
    from crossdesk.deadlines.models import TimePolicy

    return {(p.key, p.variant): p.pk for p in TimePolicy.objects.filter(key__startswith="request.")}


def generate(n_target: int, rng: random.Random, *, use_bulk_create: bool = False) -> None:
    """Add requests until there are ``n_target``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from crossdesk.collaboration.models import Request, RequestPart, TimelineEntry
    from crossdesk.core.models import NumberSequence
    from crossdesk.deadlines.models import Clock, ClockEvent

    existing = Request.objects.count()
    missing = n_target - existing
    if missing <= 0:
        log(f"{existing:,} requests already there")
        return
    log(f"generating {missing:,} requests (have {existing:,}) …")
    org = Org()
    policies = _policy_ids()
    request_type = ContentType.objects.get_for_model(Request)
    ids = Ids([Request, RequestPart, TimelineEntry, Clock, ClockEvent])
    sequences = dict(NumberSequence.objects.filter(scope="XMB").values_list("year", "last_value"))
    now = timezone.now()
    start = now - timedelta(days=365 * YEARS_OF_HISTORY)
    span = (now - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(missing))
    # created_at / updated_at are history here, not "now": switch auto_now off while writing.
    stamp_fields = [Request._meta.get_field("created_at"), Request._meta.get_field("updated_at")]
    for f in stamp_fields:
        f.auto_now = f.auto_now_add = False
    write = _bulk_create if use_bulk_create else fast_insert
    started = time.perf_counter()
    rows = {"requests": 0, "parts": 0, "timeline": 0, "clocks": 0, "events": 0}
    try:
        for batch_start in range(0, missing, BATCH):
            chunk = moments[batch_start : batch_start + BATCH]
            out = Batch()
            for moment in chunk:
                _one_request(out, moment, now, rng, org, ids, sequences, policies, request_type.pk)
            with transaction.atomic():
                for model, objs in (
                    (Request, out.requests),
                    (RequestPart, out.parts),
                    (TimelineEntry, out.timeline),
                    (Clock, out.clocks),
                    (ClockEvent, out.events),
                ):
                    write(model, objs)
                for year, last in sequences.items():
                    NumberSequence.objects.update_or_create(
                        scope="XMB", year=year, defaults={"last_value": last}
                    )
            rows["requests"] += len(out.requests)
            rows["parts"] += len(out.parts)
            rows["timeline"] += len(out.timeline)
            rows["clocks"] += len(out.clocks)
            rows["events"] += len(out.events)
            done = batch_start + len(chunk)
            if done % (BATCH * 25) == 0 or done == missing:
                rate = done / (time.perf_counter() - started)
                log(f"  {done:,}/{missing:,} requests ({rate:,.0f}/s)")
    finally:
        for f, (auto_now, auto_now_add) in zip(stamp_fields, [(False, True), (True, False)], strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
    if connection.vendor == "postgresql":
        _reset_sequences([Request, RequestPart, TimelineEntry, Clock, ClockEvent])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    log(
        f"generated in {elapsed:,.0f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in rows.items())
        + f" ({sum(rows.values()) / elapsed:,.0f} rows/s)"
    )


def _bulk_create(model, rows: list[dict]) -> None:
    model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)


_DEFAULTS: dict = {}


def fast_insert(model, rows: list[dict]) -> None:
    """Insert rows (dicts of attribute names; the rest take the model's defaults) as
    ``bulk_create`` would, minus its per-object Python work.

    Building model instances and passing every field through ``get_db_prep_save`` costs
    ~0.3 ms of CPU per row here, too slow for 18 million rows; this sends the same
    column values with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL).
    """
    import json
    from datetime import UTC, date

    from django.db import connection

    if not rows:
        return
    fields = model._meta.concrete_fields
    if model not in _DEFAULTS:
        _DEFAULTS[model] = {f.attname: f.get_default() for f in fields}
    defaults = _DEFAULTS[model]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sqlite = connection.vendor == "sqlite"

    def convert(value):
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        if sqlite and isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if sqlite and isinstance(value, date):
            return value.isoformat()
        return value

    names = [f.attname for f in fields]
    values = [tuple(convert(row.get(n, defaults[n])) for n in names) for row in rows]
    with connection.cursor() as cursor:
        if sqlite:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)
        else:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)


def _reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class Batch:
    def __init__(self):
        self.requests, self.parts, self.timeline, self.clocks, self.events = [], [], [], [], []


URGENCY = (["normal"] * 80) + (["urgent"] * 17) + (["critical"] * 3)
TYPES = ["collaboration"] * 40 + ["bottleneck"] * 20 + ["resource"] * 15 + ["complaint"] * 20 + ["other"] * 5
RESPOND_HOURS = {"normal": 72, "urgent": 24, "critical": 4}


def _status_for(age: timedelta, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.01:
        return "draft"
    if age <= timedelta(days=OPEN_WINDOW_DAYS):
        if age <= timedelta(days=3) and r < 0.35:
            return "submitted"
        return rng.choices(
            ["in_progress", "resolved", "confirmed", "cancelled", "declined", "signed"], [60, 14, 8, 6, 4, 8]
        )[0]
    return rng.choices(["archived", "signed", "cancelled", "declined", "confirmed"], [80, 7, 7, 5, 1])[0]


def _one_request(
    out: Batch, moment: datetime, now, rng, org: Org, ids: Ids, sequences, policies, request_type_id
):
    from crossdesk.collaboration.models import Request, RequestPart, TimelineEntry
    from crossdesk.deadlines.models import Clock, ClockEvent

    status = _status_for(now - moment, rng)
    initiating = rng.choice(org.ids)
    initiator = rng.choice(org.members[initiating])
    others = [d for d in org.ids if d != initiating]
    receiving = rng.sample(others, rng.choices([1, 2, 3], [60, 30, 10])[0])
    informed = [d for d in rng.sample(others, 1) if d not in receiving] if rng.random() < 0.3 else []
    urgency = rng.choice(URGENCY)
    title, background, situation, outcome = rng.choice(TOPICS)
    pk = ids.take(Request)
    submitted = status != "draft"
    year = moment.year
    number = None
    if submitted:
        sequences[year] = sequences.get(year, 0) + 1
        number = f"XMB-{year}-{sequences[year]:03d}"
    duration = timedelta(hours=rng.uniform(4, 24 * 20))
    end = min(moment + duration, now - timedelta(minutes=1))
    request = {
        "id": pk,
        "number": number,
        "year": year if submitted else None,
        "status": status,
        "title": f"{title}（{pk}）",
        "urgency": urgency,
        "type": rng.choice(TYPES),
        "type_other": "其他事项",
        "initiating_department_id": initiating,
        "initiator_id": initiator,
        "raised_on": moment.date() if submitted else None,
        "background": background,
        "current_situation": situation,
        "expected_outcome": outcome,
        "expected_completion_at": moment + timedelta(days=rng.randint(3, 30)),
        "confidential": rng.random() < 0.02,
        "submitted_at": moment if submitted else None,
        "resolved_at": end if status in ("resolved", "confirmed", "signed", "archived") else None,
        "confirmed_at": end if status in ("confirmed", "signed", "archived") else None,
        "signed_at": end if status in ("signed", "archived") else None,
        "archived_at": end if status == "archived" else None,
        "satisfaction": rng.choice([3, 4, 4, 5, 5, 5])
        if status in ("confirmed", "signed", "archived")
        else None,
        "cancel_reason": "需求取消" if status == "cancelled" else "",
        "initiator_head_id": org.head[initiating] if status in ("signed", "archived") else None,
        "initiator_head_signed_at": end if status in ("signed", "archived") else None,
        "version": rng.randint(2, 12) if submitted else 1,
        "created_at": moment,
        "updated_at": end,
    }
    out.requests.append(request)
    entries: list[tuple[str, str, str, int | None]] = []  # kind, from, to, part id
    if submitted:
        entries.append(("transition", "draft", "submitted", None))
    live_dues: list[tuple[datetime, bool]] = []

    def clock(key, variant, scope, owner, department, due, *, live):
        policy = policies.get((key, variant)) or policies[(key, "")]
        state = "met" if not live else "running"
        next_action, next_action_at, warned_at, breached_at = "", None, None, None
        cadence = key == "request.follow_up"
        if live:
            if cadence:
                next_action, next_action_at = "follow_up", due
            elif due <= now:
                state, breached_at = "breached", due
            else:
                warn = moment + (due - moment) * 0.75
                if warn > now:
                    next_action, next_action_at = "warn", warn
                else:
                    next_action, next_action_at, warned_at = "breach", due, warn
            live_dues.append((due, state == "breached"))
        elif status == "cancelled":
            state = "cancelled"
        c = {
            "id": ids.take(Clock),
            "policy_id": policy,
            "subject_type_id": request_type_id,
            "subject_id": pk,
            "scope": scope,
            "label": key,
            "owner_id": owner,
            "department_id": department,
            "state": state,
            "started_at": moment,
            "due_at": due,
            "warn_at": None if cadence else moment + (due - moment) * 0.75,
            "warned_at": warned_at,
            "next_action": next_action,
            "next_action_at": next_action_at,
            "met_at": None if live or state == "cancelled" else min(due, end),
            "breached_at": breached_at,
        }
        out.clocks.append(c)
        if state == "breached":
            out.events.append(
                {
                    "id": ids.take(ClockEvent),
                    "clock_id": c["id"],
                    "subject_type_id": request_type_id,
                    "subject_id": pk,
                    "kind": "breached",
                    "at": due,
                    "data": {},
                    "dedupe_key": f"clock:{c['id']}:breach:{int(due.timestamp())}",
                }
            )

    any_accepted = False
    for department in receiving + informed:
        role = "receiving" if department in receiving else "informed"
        part_pk = ids.take(RequestPart)
        liaison = org.liaison[department]
        part_status = "informed"
        if role == "receiving":
            if status in ("draft", "submitted"):
                part_status = "pending"
            elif status == "declined":
                part_status = "declined"
            elif status == "cancelled":
                part_status = rng.choice(["pending", "accepted"])
            elif status == "in_progress":
                part_status = "accepted" if (not any_accepted or rng.random() < 0.7) else "resolved"
            else:
                part_status = "resolved"
            any_accepted |= part_status == "accepted"
        committed = moment + timedelta(days=rng.randint(2, 20))
        signed = status in ("signed", "archived") and part_status == "resolved"
        out.parts.append(
            {
                "id": part_pk,
                "request_id": pk,
                "department_id": department,
                "role": role,
                "status": part_status,
                "liaison_id": liaison if part_status in ("accepted", "resolved") else None,
                "committed_at": committed if part_status in ("accepted", "resolved") else None,
                "accepted_at": moment + timedelta(hours=2)
                if part_status in ("accepted", "resolved")
                else None,
                "decline_reason": "人手不足" if part_status == "declined" else "",
                "decline_alternative": "建议下月再议" if part_status == "declined" else "",
                "declined_at": moment + timedelta(hours=3) if part_status == "declined" else None,
                "resolution": "已处理完毕" if part_status == "resolved" else "",
                "completed_at": end if part_status == "resolved" else None,
                "responsible_id": liaison if part_status == "resolved" else None,
                "resolved_at": end if part_status == "resolved" else None,
                "head_id": org.head[department] if signed else None,
                "head_signed_at": end if signed else None,
            }
        )
        if role != "receiving" or not submitted:
            continue
        scope = f"part:{part_pk}"
        respond_due = moment + timedelta(hours=RESPOND_HOURS[urgency])
        pending = part_status == "pending" and status == "submitted"
        clock("request.respond", urgency, scope, liaison, department, respond_due, live=pending)
        clock("request.name_liaison", "", scope, org.head[department], department, respond_due, live=pending)
        if part_status in ("accepted", "resolved", "declined"):
            entries.append(
                ("transition", "pending", part_status if part_status != "resolved" else "accepted", part_pk)
            )
        if part_status in ("accepted", "resolved"):
            clock(
                "request.resolve", "", scope, liaison, department, committed, live=part_status == "accepted"
            )
        if part_status == "resolved":
            entries.append(("transition", "accepted", "resolved", part_pk))
        if signed:
            entries.append(("signature", "", "", part_pk))
    if submitted:
        first_contact_live = status == "submitted" and rng.random() < 0.5
        clock(
            "request.first_contact",
            "",
            "",
            initiator,
            initiating,
            moment + timedelta(days=1),
            live=first_contact_live,
        )
        follow_up_live = status == "in_progress"
        follow_due = now + timedelta(hours=rng.uniform(0.5, 24)) if follow_up_live else end
        clock("request.follow_up", urgency, "", initiator, initiating, follow_due, live=follow_up_live)
    path = {
        "in_progress": [("submitted", "in_progress")],
        "resolved": [("submitted", "in_progress"), ("in_progress", "resolved")],
        "confirmed": [("submitted", "in_progress"), ("in_progress", "resolved"), ("resolved", "confirmed")],
        "signed": [("submitted", "in_progress"), ("in_progress", "resolved"), ("resolved", "confirmed"), ("confirmed", "signed")],
        "archived": [
            ("submitted", "in_progress"), ("in_progress", "resolved"), ("resolved", "confirmed"),
            ("confirmed", "signed"), ("signed", "archived"),
        ],
        "declined": [("submitted", "declined")],
        "cancelled": [("submitted", "cancelled")],
    }.get(status, [])  # fmt: skip
    entries += [("transition", a, b, None) for a, b in path]
    if status in ("signed", "archived"):
        entries.append(("signature", "", "", None))
    if submitted:
        target = rng.randint(8, 12)
        while len(entries) < target:
            entries.append(("log", "", "", None))
    span = max((end - moment).total_seconds(), 60)
    times = sorted(moment + timedelta(seconds=span * rng.random()) for _ in entries)
    people = [initiator, *(org.liaison[d] for d in receiving)]
    for (kind, from_status, to_status, part_id), at in zip(entries, times, strict=True):
        out.timeline.append(
            {
                "id": ids.take(TimelineEntry),
                "request_id": pk,
                "part_id": part_id,
                "kind": kind,
                "at": at,
                "author_id": rng.choice(people),
                "participants": "市场部、客服部" if kind == "log" else "",
                "content": "电话沟通进度，已确认下一步安排" if kind == "log" else "",
                "from_status": from_status,
                "to_status": to_status,
                "data": {},
            }
        )
    if live_dues:
        request["next_due_at"] = min(d for d, _b in live_dues)
        request["is_overdue"] = any(b for _d, b in live_dues)


# --- measuring -----------------------------------------------------------------------------


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return (
        f"n={len(ordered):>4}  p50={pick(0.5) * 1000:7.1f} ms  p95={pick(0.95) * 1000:7.1f} ms  "
        f"min={ordered[0] * 1000:7.1f} ms  max={ordered[-1] * 1000:7.1f} ms  (load {os.getloadavg()[0]:.1f})"
    )


def timed(fn, iterations: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return samples


def measure_pages(args, rng: random.Random, results: dict) -> None:
    import json

    from django.db.models import Q
    from django.test import Client

    from crossdesk.collaboration.models import Request
    from crossdesk.org.models import Department, Person

    department = Department.objects.get(code=args.department)
    head = Person.objects.select_related("user").get(pk=department.head_id)
    staff = (
        Person.objects.filter(memberships__department=department)
        .exclude(pk__in=[department.head_id, department.default_liaison_id])
        .select_related("user")
        .first()
    )
    receivers = list(
        Department.objects.filter(code__startswith="D")
        .exclude(pk=department.pk)
        .values_list("code", flat=True)[:2]
    )
    client = Client()
    client.force_login(head.user)

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} → {response.status_code} {response.content[:300]!r}")
        return response

    base = "/api/v1/requests/"
    first = get(f"{base}?department={department.code}&limit={PAGE_SIZE}").json()
    total = first["count"]
    deep_offset = min((DEEP_PAGE - 1) * PAGE_SIZE, max(0, total - PAGE_SIZE))
    log(
        f"inbox of {department.code}: {total:,} rows; deep page at offset {deep_offset:,} (page {deep_offset // PAGE_SIZE + 1})"
    )
    results["inbox rows"] = total

    samples = timed(lambda: get(f"{base}?department={department.code}&limit={PAGE_SIZE}"), args.iterations)
    results["inbox first page"] = samples
    log(f"inbox, first page          {percentiles(samples)}")

    samples = timed(
        lambda: get(f"{base}?department={department.code}&limit={PAGE_SIZE}&offset={deep_offset}"),
        max(20, args.iterations // 4),
    )
    results[f"inbox deep page (offset {deep_offset:,})"] = samples
    log(f"inbox, deep page           {percentiles(samples)}")

    samples = timed(
        lambda: get(f"{base}?department={department.code}&direction=received&status=open&limit={PAGE_SIZE}"),
        args.iterations,
    )
    results["inbox received+open, first page"] = samples
    log(f"inbox received+open        {percentiles(samples)}")

    involved = Q(initiating_department=department) | Q(parts__department=department)
    candidate_ids = list(
        Request.objects.filter(involved, confidential=False)
        .exclude(status="draft")
        .values_list("pk", flat=True)
        .order_by("-pk")[:20000]
    )
    sample_ids = rng.sample(candidate_ids, min(len(candidate_ids), 500))
    it = iter(sample_ids * 10)
    samples = timed(lambda: get(f"{base}{next(it)}"), args.iterations)
    results["request page"] = samples
    log(f"request page               {percentiles(samples)}")

    if args.html:
        samples = timed(
            lambda: get(f"/requests/?department={department.code}"), max(20, args.iterations // 4)
        )
        results["HTML inbox first page"] = samples
        log(f"HTML inbox, first page     {percentiles(samples)}")
        samples = timed(lambda: get(f"/requests/{next(it)}/"), max(20, args.iterations // 4))
        results["HTML request page"] = samples
        log(f"HTML request page          {percentiles(samples)}")

    submitter = Client()
    submitter.force_login(staff.user)
    expected = (datetime.now().astimezone() + timedelta(days=10)).isoformat()
    body = json.dumps(
        {
            "title": "基准测试请求",
            "urgency": "urgent",
            "type": "collaboration",
            "background": "背景",
            "current_situation": "现状",
            "expected_outcome": "期望",
            "expected_completion_at": expected,
            "receiving_departments": receivers,
        }
    )
    create_times, submit_times = [], []

    def create_and_submit():
        t = time.perf_counter()
        response = submitter.post(base, data=body, content_type="application/json")
        create_times.append(time.perf_counter() - t)
        if response.status_code != 201:
            raise SystemExit(f"create → {response.status_code} {response.content[:300]!r}")
        request_id = response.json()["id"]
        t = time.perf_counter()
        response = submitter.post(f"{base}{request_id}/submit", data="{}", content_type="application/json")
        submit_times.append(time.perf_counter() - t)
        if response.status_code != 200:
            raise SystemExit(f"submit → {response.status_code} {response.content[:300]!r}")

    total_times = timed(create_and_submit, args.submits)
    create_times, submit_times = create_times[3:], submit_times[3:]
    results["create draft"] = create_times
    results["submit"] = submit_times
    results["create draft + submit"] = total_times
    log(f"create draft               {percentiles(create_times)}")
    log(f"submit                     {percentiles(submit_times)}")
    log(f"create draft + submit      {percentiles(total_times)}")


SNAPSHOT_FIELDS = [
    "state", "started_at", "due_at", "warn_at", "warned_at", "next_action", "next_action_at",
    "escalation_level", "follow_ups_sent", "breached_at", "paused_seconds", "agreed_due_at", "estimated",
]  # fmt: skip


def prepare_open_clocks(rng: random.Random, now) -> int:
    """Make sure 100,000 clocks are open (something still to do), all of them in the future."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Max

    from crossdesk.collaboration.models import Request
    from crossdesk.deadlines.models import Clock, TimePolicy

    open_clocks = Clock.objects.filter(next_action_at__isnull=False)
    count = open_clocks.count()
    if count < SWEEP_OPEN_CLOCKS:
        # Not enough open work at this N: add clocks on recent requests, like more open requests would have.
        missing = SWEEP_OPEN_CLOCKS - count
        policy = TimePolicy.objects.get(key="request.resolve", variant="")
        request_type = ContentType.objects.get_for_model(Request)
        subjects = list(
            Request.objects.exclude(status="draft")
            .order_by("-pk")
            .values_list("pk", "initiating_department_id", "initiator_id")[:50000]
        )
        next_pk = (Clock.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
        rows = []
        for i in range(missing):
            subject, department, owner = subjects[i % len(subjects)]
            started = now - timedelta(days=rng.uniform(0, 10))
            due = now + timedelta(hours=rng.uniform(1, 24 * 20))
            warn = started + (due - started) * 0.75
            rows.append(
                {
                    "id": next_pk + i,
                    "policy_id": policy.pk,
                    "subject_type_id": request_type.pk,
                    "subject_id": subject,
                    "scope": f"bench:{next_pk + i}",
                    "label": "基准测试期限",
                    "owner_id": owner,
                    "department_id": department,
                    "state": "running",
                    "started_at": started,
                    "due_at": due,
                    "warn_at": warn,
                    "agreed_due_at": due,
                    "next_action": "warn" if warn > now else "breach",
                    "next_action_at": warn if warn > now else due,
                    "warned_at": None if warn > now else warn,
                }
            )
        with transaction.atomic():
            fast_insert(Clock, rows)
        from django.db import connection

        if connection.vendor == "postgresql":
            _reset_sequences([Clock])
        log(f"added {missing:,} open clocks for the sweep (had {count:,})")
    # Nothing is due at `now` to start with: an idle minute of the scheduler.
    overdue = Clock.objects.filter(next_action_at__lte=now)
    moved = overdue.update(next_action_at=now + timedelta(hours=1))
    if moved:
        log(f"moved {moved:,} clocks that were due into the future")
    return Clock.objects.filter(next_action_at__isnull=False).count()


def measure_sweep(args, rng: random.Random, results: dict) -> None:
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from crossdesk.deadlines.models import Clock, ClockEvent
    from crossdesk.deadlines.services import sweep
    from crossdesk.notify.models import Notification

    now = timezone.now()
    # A worker has its URLconf and calendar loaded after its first job; do not time that.
    from django.urls import reverse

    from crossdesk.workcal.selectors import get_calendar

    reverse("collaboration:detail", args=[1])
    get_calendar()
    open_count = prepare_open_clocks(rng, now)
    results["open clocks"] = open_count
    log(f"open clocks: {open_count:,}")

    samples = timed(lambda: sweep(now=now), args.iterations // 4 or 5, warmup=2)
    results["sweep, nothing due"] = samples
    log(f"sweep, nothing due         {percentiles(samples)}")

    candidates = list(
        Clock.objects.filter(next_action_at__isnull=False, state="running").values_list("pk", flat=True)
    )
    for share in args.due_shares:
        due_count = int(open_count * share)
        samples, actions = [], {}
        for _run in range(args.sweep_runs):
            chosen = rng.sample(candidates, due_count)
            clocks = list(Clock.objects.filter(pk__in=chosen))
            saved = [(c.pk, {f: getattr(c, f) for f in SNAPSHOT_FIELDS}) for c in clocks]
            for c in clocks:
                # Due within the last ten minutes: a warning, a breach or a follow-up.
                moment = now - timedelta(seconds=rng.uniform(1, 600))
                if c.next_action == "breach" or rng.random() < 0.5:
                    c.due_at = moment
                    c.next_action, c.next_action_at = (
                        ("breach" if c.next_action != "follow_up" else "follow_up"),
                        moment,
                    )
                    if c.next_action == "breach" and c.warned_at is None:
                        c.warned_at = moment - timedelta(hours=1)
                else:
                    c.next_action_at = moment
                    if c.next_action == "warn":
                        c.warn_at = moment
            Clock.objects.bulk_update(
                clocks, ["due_at", "next_action", "next_action_at", "warned_at", "warn_at"], batch_size=1000
            )
            max_event = ClockEvent.objects.aggregate(n=Max("pk"))["n"] or 0
            max_notification = Notification.objects.aggregate(n=Max("pk"))["n"] or 0
            t = time.perf_counter()
            actions = sweep(now=now)
            samples.append(time.perf_counter() - t)
            # Put everything back so the next run (and the next benchmark) starts the same.
            ClockEvent.objects.filter(pk__gt=max_event).delete()
            Notification.objects.filter(pk__gt=max_notification).delete()
            restored = Clock.objects.in_bulk([pk for pk, _f in saved])
            for pk, fields in saved:
                for name, value in fields.items():
                    setattr(restored[pk], name, value)
            Clock.objects.bulk_update(list(restored.values()), SNAPSHOT_FIELDS, batch_size=1000)
        key = f"sweep, {due_count:,} of {open_count:,} due ({share:.1%})"
        results[key] = samples
        log(f"{key:<27}{percentiles(samples)}  actions={actions}")
    if connection.vendor == "postgresql":
        _reset_sequences([ClockEvent, Notification])


def explain(args) -> None:
    """The plans of the inbox queries (count and page), first and deep."""
    from crossdesk.collaboration import filters, selectors
    from crossdesk.org.models import Department, Person
    from crossdesk.org.selectors import roles_for

    department = Department.objects.get(code=args.department)
    roles = roles_for(Person.objects.get(pk=department.head_id).user)
    rows = selectors.request_list(
        roles=roles, filters=filters.request_filter_from_params({"department": department.code})
    )
    count_query = rows.order_by()
    print("--- EXPLAIN count ---")
    print(_explain(count_query, count=True))
    print("--- EXPLAIN first page ---")
    print(_explain(rows[:PAGE_SIZE]))
    print("--- EXPLAIN deep page ---")
    print(_explain(rows[(DEEP_PAGE - 1) * PAGE_SIZE : DEEP_PAGE * PAGE_SIZE]))


def _explain(queryset, count: bool = False) -> str:
    from django.db import connection

    if count:
        # What QuerySet.count() runs: the filtered rows, counted.
        sql, params = queryset.values("pk").query.sql_with_params()
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(f"{prefix}SELECT COUNT(*) FROM ({sql}) sub", params)
            return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
    options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    return queryset.explain(**options)


PROTOTYPE_SQL = [
    """CREATE TABLE bench_involvement (
        request_id bigint NOT NULL, department_id bigint NOT NULL, role varchar(16) NOT NULL,
        status varchar(16) NOT NULL, urgency varchar(16) NOT NULL, submitted_at {ts} NULL,
        is_overdue boolean NOT NULL, confidential boolean NOT NULL, PRIMARY KEY (department_id, request_id))""",
    """INSERT INTO bench_involvement SELECT r.id, r.initiating_department_id, 'initiating', r.status, r.urgency,
        r.submitted_at, r.is_overdue, r.confidential FROM collaboration_request r WHERE r.status <> 'draft'""",
    """INSERT INTO bench_involvement SELECT p.request_id, p.department_id, p.role, r.status, r.urgency,
        r.submitted_at, r.is_overdue, r.confidential FROM collaboration_requestpart p
        JOIN collaboration_request r ON r.id = p.request_id WHERE r.status <> 'draft'""",
    "CREATE INDEX bench_inv_sorted ON bench_involvement (department_id, submitted_at DESC, request_id DESC)",
    "CREATE INDEX bench_inv_status ON bench_involvement (department_id, status, submitted_at DESC, request_id DESC)",
]


def prototype(args) -> None:
    """Time the inbox on a denormalised, indexed involvement table (one row per request and
    involved department, initiating included), the proposed fix for the count and deep pages.

    The table lives only in the bench database; the same queries as the inbox's count, first
    page and deep page, answered from the index alone.
    """
    from django.db import connection

    from crossdesk.org.models import Department

    department = Department.objects.get(code=args.department).pk
    with connection.cursor() as cursor:
        # Rebuilt every time, from the requests as they are now.
        t = time.perf_counter()
        cursor.execute("DROP TABLE IF EXISTS bench_involvement")
        ts = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
        for sql in PROTOTYPE_SQL:
            cursor.execute(sql.format(ts=ts))
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE) bench_involvement")
        else:
            cursor.execute("ANALYZE bench_involvement")
        log(f"built bench_involvement in {time.perf_counter() - t:,.0f} s")
    open_statuses = "('submitted', 'in_progress', 'resolved', 'confirmed')"
    order = "ORDER BY submitted_at DESC, request_id DESC"
    queries = {
        "count": "SELECT COUNT(*) FROM bench_involvement WHERE department_id = %s",
        "first page": f"SELECT request_id FROM bench_involvement WHERE department_id = %s {order} LIMIT 50",
        "deep page": f"SELECT request_id FROM bench_involvement WHERE department_id = %s {order} "
        f"LIMIT 50 OFFSET {(DEEP_PAGE - 1) * PAGE_SIZE}",
        "received+open count": "SELECT COUNT(*) FROM bench_involvement WHERE department_id = %s "
        f"AND role <> 'initiating' AND status IN {open_statuses}",
        "received+open page": "SELECT request_id FROM bench_involvement WHERE department_id = %s "
        f"AND role <> 'initiating' AND status IN {open_statuses} {order} LIMIT 50",
    }
    for label, sql in queries.items():

        def run(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql, [department])
                return cursor.fetchall()

        samples = timed(run, 30)
        log(f"prototype {label:<22}{percentiles(samples)}  rows={len(run())}")
    with connection.cursor() as cursor:
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        for label in ("count", "deep page"):
            cursor.execute(prefix + queries[label], [department])
            print(f"--- EXPLAIN prototype {label} ---")
            print("\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall()))


def db_size() -> str:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cursor.fetchone()[0]
    path = Path(settings.DATABASES["default"]["NAME"])
    return f"{path.stat().st_size / 1e9:.2f} GB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="requests in the database (default 10,000)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT))
    parser.add_argument("--no-jit", action="store_true", help="PostgreSQL: SET jit = off on each connection")
    parser.add_argument("--sqlite-file", default="requests.sqlite3", help="database file under var/bench/")
    parser.add_argument(
        "--only", choices=["generate", "measure", "sweep", "explain", "pages", "prototype"], default=None
    )
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--submits", type=int, default=100)
    parser.add_argument("--sweep-runs", type=int, default=3)
    parser.add_argument(
        "--due-shares",
        type=float,
        nargs="+",
        default=[0.001, 0.01],
        help="shares of the open clocks due at once (default 0.1%% = a busy minute, 1%% = a ten-minute backlog)",
    )
    parser.add_argument("--department", default="D01")
    parser.add_argument("--html", action="store_true", help="also time the HTML inbox and request page")
    parser.add_argument("--seed", type=int, default=20261010)
    parser.add_argument(
        "--bulk-create",
        action="store_true",
        help="write with Model.objects.bulk_create (slower reference path)",
    )
    args = parser.parse_args()

    configure(args)
    from django.db import connection

    rng = random.Random(args.seed)
    log(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}"
        + (" (jit off)" if args.no_jit else "")
    )
    if args.only in (None, "generate"):
        t = time.perf_counter()
        migrate()
        ensure_org(rng)
        generate(args.n, random.Random(args.seed + args.n), use_bulk_create=args.bulk_create)
        from crossdesk.collaboration.involvement import involvement_rebuild

        t_index = time.perf_counter()
        involvement_rebuild()  # rows written around the services: rebuild the inbox index
        log(f"inbox index rebuilt in {time.perf_counter() - t_index:,.1f} s")
        log(f"setup done in {time.perf_counter() - t:,.0f} s; database size {db_size()}")
    from crossdesk.collaboration.models import Request

    results: dict = {"N": Request.objects.count()}
    log(f"N = {results['N']:,} requests")
    if args.only in (None, "measure", "pages"):
        measure_pages(args, rng, results)
    if args.only in (None, "measure", "sweep"):
        measure_sweep(args, rng, results)
    if args.only == "explain":
        explain(args)
    if args.only == "prototype":
        prototype(args)


if __name__ == "__main__":
    main()
