"""How fast is the working-time arithmetic? A million calls of each function.

    CROSSDESK_MODE=test .venv/bin/python bench/workcal_bench.py [--calls N]

No database: the calendar is built straight from the chinese-calendar package (statutory
holidays and make-up days 2010 on, default hours 09:00–12:00 and 13:30–18:00, Asia/Shanghai).
Inputs are random aware datetimes in 2025–2027, generated before timing; each figure
includes the Python loop that makes the calls (its cost is printed as "empty loop").
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from datetime import UTC, datetime

from chinese_calendar import constants

from crossdesk.workcal.lib import WorkCalendar


def build(fast: bool = True) -> WorkCalendar:
    names = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    off = {d: names.get(n, n) for d, n in constants.holidays.items() if d.year >= 2010}
    work = {d: names.get(n, n) for d, n in constants.workdays.items() if d.year >= 2010}
    return WorkCalendar(statutory_off=off, statutory_work=work, known_years={d.year for d in off}, fast=fast)


def empty_loop(xs, ys) -> None:
    for _x, _y in zip(xs, ys):  # noqa: B905 (zip(strict=True) would time its own check)
        pass


def loop1(fn, xs) -> None:
    for x in xs:
        fn(x)


def loop2(fn, xs, ys) -> None:
    for x, y in zip(xs, ys):  # noqa: B905
        fn(x, y)


def timed(label: str, calls: int, run, repeat: int) -> float:
    """Best of ``repeat`` runs, in CPU time of this process: on a shared machine the wall
    clock also counts the other processes (the wall time of the best run is shown too)."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(
        f"  {label:<28} {best_cpu * 1e9 / calls:7.0f} ns/call   {best_cpu:6.3f} s CPU"
        f"   ({best_wall:.3f} s wall)"
    )
    return best_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261001)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n, r = args.calls, args.repeat

    started = time.perf_counter()
    cal = build()
    print(f"calendar built in {time.perf_counter() - started:.3f} s (fast path: {cal.fast_path})")
    print(f"Python {platform.python_version()} on {platform.machine()}, {n:,} calls per function")

    rng = random.Random(args.seed)
    first = datetime(2025, 1, 1, tzinfo=cal.tz).timestamp()
    span = datetime(2028, 1, 1, tzinfo=cal.tz).timestamp() - first
    local = [datetime.fromtimestamp(first + rng.random() * span, cal.tz) for _ in range(n)]
    utc = [t.astimezone(UTC) for t in local]
    others = local[1:] + local[:1]
    hours = [rng.randint(-40, 40) or 1 for _ in range(n)]
    days = [rng.randint(1, 10) for _ in range(n)]

    # the results must be right before their speed matters: compare with the general path
    general = build(fast=False)
    for t, h in list(zip(local, hours, strict=True))[:2000]:
        assert cal.add_working_hours(t, h) == general.add_working_hours(t, h)
        assert cal.is_working_time(t) == general.is_working_time(t)

    worst = 0.0
    for label, inputs in (("Asia/Shanghai inputs", local), ("UTC inputs (as read from the database)", utc)):
        print(label)
        timed("empty loop", n, lambda inputs=inputs: empty_loop(inputs, hours), r)
        cases = [
            ("is_working_time", lambda inputs=inputs: loop1(cal.is_working_time, inputs)),
            ("add_working_hours (±40 h)", lambda inputs=inputs: loop2(cal.add_working_hours, inputs, hours)),
            ("add_working_days (1–10)", lambda inputs=inputs: loop2(cal.add_working_days, inputs, days)),
            (
                "working_seconds_between",
                lambda inputs=inputs: loop2(cal.working_seconds_between, inputs, others),
            ),
        ]
        for name, run in cases:
            worst = max(worst, timed(name, n, run, r))
    print(f"slowest function: {worst:.3f} s for {n:,} calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
