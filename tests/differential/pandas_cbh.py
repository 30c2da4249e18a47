#!/usr/bin/env python3
"""Differential test: `sla-lens deadline` / `sla-lens elapsed` against pandas' CustomBusinessHour.

Run with the venv python (`scripts/setup.sh python` creates it):

    .tools/venv/bin/python tests/differential/pandas_cbh.py --cases 10000 \
        --bin ./target/release/sla-lens

For many random daytime schedules in UTC (a random weekmask, one window per open day with
minute-precision open and close, 0-15 random holidays in 2026-2027) it draws random start
instants in 2026 (to the second; many exactly at an opening, at a close, one second either side
of them, on holidays and on closed weekdays) and whole-hour durations from 1 to several hundred
hours (many chosen so that the budget runs out exactly at a close). The expected deadline is

    pd.Timestamp(start) + CustomBusinessHour(n, start=open, end=close, weekmask=..., holidays=...)

Every case is piped through one `sla-lens deadline` process per schedule and compared line by
line. A second pass pipes `{"start": start, "end": expected deadline}` through `sla-lens
elapsed` and checks that it reports exactly `n * 3600` seconds.

Why pandas is a valid oracle for the spec (calendar.rs, `Calendar::add`):
  * pandas (n >= 0) first moves a start that is outside business hours, *or exactly at a close*
    (`other.time() in self.end`), to the next opening. The spec's windows are half-open
    [open, close), so a start at a close is outside hours too: same thing.
  * it then skips whole business days (`divmod(n*60, minutes per day)`) keeping the time of day,
    and walks the remainder window by window with `if bhour_remain < bhour: stop inside, else:
    go to the next opening`. So a budget that runs out exactly at a close lands on the next
    opening, which is what the spec says ("as pandas' CustomBusinessHour does").
  * holidays and the weekmask remove whole days; with one daytime window per day (no overnight
    windows, which pandas and the spec attribute differently) there is no ambiguity about which
    day a window belongs to.

Why `elapsed(start, add(start, d)) == d` must hold for *every* start, not only in-hours ones:
`add(t, d)` is the last instant x with used(t, x) <= d, and used(t, .) is continuous and
non-decreasing, so used(t, x) == d at that x (it can only stay below d if the calendar ran out,
which is an error, not a deadline). `elapsed(a, b)` counts business seconds in [a, b), which is
exactly used(a, b); a start outside hours simply contributes nothing until the next opening.

Known corners where pandas and the spec disagree, and what this script does about them: none
were found for the generated shapes (daytime windows, UTC, whole-hour n >= 1). The only inputs
pandas cannot express at all are avoided by construction and not counted as cases: windows
ending at 24:00 or running overnight (pandas wants `HH:MM` < 24:00, and its overnight windows
belong to a different day), second-precision window bounds (pandas accepts only `HH:MM`),
negative n, and time zones with DST. If an exclusion is ever added, it must be counted in
`excluded` and printed, never skipped silently.

Output: up to 20 mismatches with full detail (schedule, calendar JSON, input line, expected and
actual), then one line `differential: N passed, M failed`. Exit status 1 on any mismatch, 2 on
a usage or setup error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

import pandas as pd
from pandas.tseries.offsets import CustomBusinessHour

DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PANDAS_DAY = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
YEAR = 2026
CASES_PER_SCHEDULE = 50
MAX_REPORT = 20


# ---------------------------------------------------------------------------------------------
# Random schedules
# ---------------------------------------------------------------------------------------------


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def random_window(rng: random.Random) -> tuple[int, int]:
    """(open, close) in minutes after midnight, 0 <= open < close <= 23:59, >= 15 minutes."""
    style = rng.random()
    while True:
        if style < 0.4:  # whole hours
            o = rng.randrange(0, 23) * 60
            c = rng.randrange(o // 60 + 1, 24) * 60
        elif style < 0.7:  # half hours
            o = rng.randrange(0, 47) * 30
            c = rng.randrange(o // 30 + 1, 48) * 30
        elif style < 0.85:  # the classic office day, slightly perturbed
            o = rng.choice([7, 8, 9, 10]) * 60 + rng.choice([0, 0, 15, 30])
            c = rng.choice([15, 16, 17, 18, 19]) * 60 + rng.choice([0, 0, 30, 45])
        else:  # any minute
            o = rng.randrange(0, 24 * 60 - 15)
            c = rng.randrange(o + 1, 24 * 60)
        if c - o >= 15:
            return o, c


def random_schedule(rng: random.Random, idx: int) -> dict:
    style = rng.random()
    if style < 0.3:
        days = [0, 1, 2, 3, 4]
    else:
        k = rng.randint(1, 7)
        days = sorted(rng.sample(range(7), k))
    o, c = random_window(rng)
    nhol = rng.randint(0, 15)
    holidays: set[dt.date] = set()
    start_2026 = dt.date(2026, 1, 1)
    while len(holidays) < nhol:
        if rng.random() < 0.7:
            # mostly on open weekdays, where they matter
            d = start_2026 + dt.timedelta(days=rng.randrange(0, 730))
            if d.weekday() not in days and rng.random() < 0.8:
                continue
        else:
            d = start_2026 + dt.timedelta(days=rng.randrange(0, 730))
        holidays.add(d)
    return {
        "id": idx,
        "days": days,
        "open": o,
        "close": c,
        "holidays": sorted(holidays),
    }


def calendar_json(s: dict) -> dict:
    window = f"{hhmm(s['open'])}-{hhmm(s['close'])}"
    week = {DAY_NAMES[d]: [window] for d in s["days"]}
    return {
        "timeZone": "UTC",
        "week": week,
        "holidays": [{"date": d.isoformat()} for d in s["holidays"]],
        "exceptions": [],
    }


def pandas_offset(s: dict) -> CustomBusinessHour:
    return CustomBusinessHour(
        n=1,
        start=hhmm(s["open"]),
        end=hhmm(s["close"]),
        weekmask=" ".join(PANDAS_DAY[d] for d in s["days"]),
        holidays=[d.isoformat() for d in s["holidays"]],
    )


# ---------------------------------------------------------------------------------------------
# Random cases
# ---------------------------------------------------------------------------------------------


def is_business_day(s: dict, d: dt.date) -> bool:
    return d.weekday() in s["days"] and d not in s["holidays_set"]


def random_date_2026(rng: random.Random) -> dt.date:
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))


def pick_day(rng: random.Random, s: dict, business: bool) -> dt.date | None:
    """A random 2026 date that is (or is not) a business day, or None if there is none."""
    if not business and s["holidays_2026"] and rng.random() < 0.5:
        return rng.choice(s["holidays_2026"])
    for _ in range(200):
        d = random_date_2026(rng)
        if is_business_day(s, d) == business:
            return d
    return None


def at(d: dt.date, minutes: int, seconds: int = 0) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day) + dt.timedelta(minutes=minutes, seconds=seconds)


def max_hours(s: dict) -> int:
    """Keeps every deadline within about 20 years (far inside both libraries' ranges)."""
    per_week = (s["close"] - s["open"]) / 60 * len(s["days"])
    return max(1, min(720, int(per_week * 52 * 20)))


def random_hours(rng: random.Random, s: dict) -> int:
    hi = max_hours(s)
    r = rng.random()
    if r < 0.5:
        n = rng.randint(1, min(hi, 24))
    elif r < 0.8:
        n = rng.randint(1, min(hi, 120))
    else:
        n = int(math.exp(rng.uniform(0, math.log(hi))))
    return max(1, min(n, hi))


def whole_day_hours(rng: random.Random, s: dict) -> int | None:
    """n such that n hours is a whole number of this schedule's business days, if any fits."""
    length = s["close"] - s["open"]
    k = 60 // math.gcd(length, 60)  # days per step so that k * length is whole hours
    step = k * length // 60
    hi = max_hours(s)
    if step > hi:
        return None
    return step * rng.randint(1, max(1, min(hi // step, 40)))


def random_case(rng: random.Random, s: dict) -> tuple[str, dt.datetime, int]:
    """(kind, start, n hours)."""
    o, c = s["open"], s["close"]
    kinds = [
        ("random", 20),
        ("open", 10),
        ("close", 10),
        ("edge", 10),
        ("offday", 8),
        ("offday-open", 5),
        ("offday-close", 5),
        ("land-on-close", 20),
        ("close-whole-days", 6),
        ("open-whole-days", 6),
    ]
    kind = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
    n = random_hours(rng, s)
    start: dt.datetime | None = None
    if kind == "random":
        start = dt.datetime(YEAR, 1, 1) + dt.timedelta(seconds=rng.randrange(0, 365 * 86400))
    elif kind in ("open", "close", "edge", "land-on-close", "close-whole-days", "open-whole-days"):
        d = pick_day(rng, s, True)
        if d is not None:
            if kind == "open":
                start = at(d, o)
            elif kind == "close":
                start = at(d, c)
            elif kind == "edge":
                start = at(d, rng.choice([o, c]), rng.choice([-1, 1]))
            elif kind in ("close-whole-days", "open-whole-days"):
                start = at(d, c if kind == "close-whole-days" else o)
                m = whole_day_hours(rng, s)
                if m is not None:
                    n = m
            else:  # land-on-close: start h whole hours (plus maybe whole days) before a close
                length = c - o
                if length >= 60:
                    h = rng.randint(1, length // 60)
                    start = at(d, c - 60 * h)
                    n = h
                    m = whole_day_hours(rng, s)
                    if m is not None and rng.random() < 0.6 and n + m <= max_hours(s):
                        n += m
                else:
                    start = at(d, rng.randrange(o, c), rng.randrange(0, 60))
    elif kind in ("offday", "offday-open", "offday-close"):
        d = pick_day(rng, s, False)
        if d is not None:
            if kind == "offday":
                start = at(d, 0, rng.randrange(0, 86400))
            else:
                start = at(d, o if kind == "offday-open" else c)
    if start is None:  # no such day in this schedule: fall back to a random instant
        kind = "random"
        start = dt.datetime(YEAR, 1, 1) + dt.timedelta(seconds=rng.randrange(0, 365 * 86400))
    return kind, start, n


def duration_text(rng: random.Random, n: int):
    """The duration as whole seconds (a JSON number) or as text such as `30h` or `1d6h`."""
    r = rng.random()
    if r < 0.4:
        return n * 3600
    if r < 0.8 or n < 24:
        return f"{n}h"
    w, rest = divmod(n, 168)
    d, h = divmod(rest, 24)
    text = (f"{w}w" if w else "") + (f"{d}d" if d else "") + (f"{h}h" if h else "")
    return text


def rfc3339(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Running the binary
# ---------------------------------------------------------------------------------------------


def run_lines(binary: str, sub: str, cal_path: str, lines: list[str]) -> list[str]:
    proc = subprocess.run(
        [binary, sub, "--calendar", cal_path],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"`{binary} {sub} --calendar {cal_path}` exited with {proc.returncode}: "
            f"{proc.stderr.strip()}"
        )
    out = proc.stdout.splitlines()
    if len(out) != len(lines):
        raise RuntimeError(
            f"`{sub}` wrote {len(out)} lines for {len(lines)} inputs; stderr: {proc.stderr.strip()}"
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--bin", default="./target/release/sla-lens")
    ap.add_argument(
        "--keep", action="store_true", help="keep the calendar files (the path is printed)"
    )
    args = ap.parse_args()
    if args.cases < 1:
        print("--cases must be at least 1", file=sys.stderr)
        return 2
    if not (os.path.isfile(args.bin) and os.access(args.bin, os.X_OK)):
        print(
            f"{args.bin}: no such executable: build it with `cargo build --release --features cli`",
            file=sys.stderr,
        )
        return 2

    t0 = time.monotonic()
    rng = random.Random(args.seed)
    nsched = max(1, math.ceil(args.cases / CASES_PER_SCHEDULE))
    schedules = []
    for i in range(nsched):
        s = random_schedule(rng, i)
        s["holidays_set"] = set(s["holidays"])
        s["holidays_2026"] = [d for d in s["holidays"] if d.year == YEAR]
        schedules.append(s)

    # Cases, spread round-robin over the schedules.
    by_schedule: list[list[dict]] = [[] for _ in schedules]
    for i in range(args.cases):
        s = schedules[i % nsched]
        kind, start, n = random_case(rng, s)
        by_schedule[s["id"]].append(
            {"id": i, "kind": kind, "start": start, "n": n, "duration": duration_text(rng, n)}
        )

    passed = failed = excluded = 0
    mismatches: list[str] = []
    kinds_seen: dict[str, int] = {}
    deadline_failures = elapsed_failures = 0
    tmp = tempfile.mkdtemp(prefix="sla-lens-differential-")
    try:
        for s, cases in zip(schedules, by_schedule):
            if not cases:
                continue
            cal = calendar_json(s)
            cal_path = os.path.join(tmp, f"calendar-{s['id']:04d}.json")
            with open(cal_path, "w") as f:
                json.dump(cal, f)
            base = pandas_offset(s)
            for case in cases:
                expected = pd.Timestamp(case["start"]) + base * case["n"]
                case["expected"] = rfc3339(expected.to_pydatetime())
            deadline_in = [
                json.dumps({"start": rfc3339(c["start"]), "duration": c["duration"]})
                for c in cases
            ]
            deadline_out = run_lines(args.bin, "deadline", cal_path, deadline_in)
            elapsed_in = [
                json.dumps({"start": rfc3339(c["start"]), "end": c["expected"]}) for c in cases
            ]
            elapsed_out = run_lines(args.bin, "elapsed", cal_path, elapsed_in)
            for c, din, dout, ein, eout in zip(
                cases, deadline_in, deadline_out, elapsed_in, elapsed_out
            ):
                kinds_seen[c["kind"]] = kinds_seen.get(c["kind"], 0) + 1
                problems = []
                try:
                    got = json.loads(dout).get("deadline")
                except json.JSONDecodeError:
                    got = None
                if got != c["expected"]:
                    deadline_failures += 1
                    problems.append(f"deadline: expected {c['expected']}, got {dout}")
                want_secs = c["n"] * 3600
                try:
                    secs = json.loads(eout).get("seconds")
                except json.JSONDecodeError:
                    secs = None
                if secs != want_secs:
                    elapsed_failures += 1
                    problems.append(
                        f"elapsed(start, expected deadline): expected {want_secs} s, got {eout}"
                    )
                if not problems:
                    passed += 1
                    continue
                failed += 1
                if len(mismatches) < MAX_REPORT:
                    start_day = PANDAS_DAY[c["start"].weekday()]
                    mismatches.append(
                        "\n".join(
                            [
                                f"case {c['id']} ({c['kind']}), schedule {s['id']}: "
                                f"{' '.join(PANDAS_DAY[d] for d in s['days'])} "
                                f"{hhmm(s['open'])}-{hhmm(s['close'])}, "
                                f"{len(s['holidays'])} holidays",
                                f"  start {rfc3339(c['start'])} ({start_day}), n = {c['n']} h",
                                *("  " + p for p in problems),
                                f"  calendar: {json.dumps(cal)}",
                                f"  deadline input: {din}",
                                f"  elapsed input:  {ein}",
                                f"  pandas: pd.Timestamp('{c['start'].isoformat()}') + "
                                f"CustomBusinessHour(n={c['n']}, start='{hhmm(s['open'])}', "
                                f"end='{hhmm(s['close'])}', weekmask='"
                                f"{' '.join(PANDAS_DAY[d] for d in s['days'])}', holidays="
                                f"{[d.isoformat() for d in s['holidays']]})",
                            ]
                        )
                    )
    finally:
        if args.keep:
            print(f"calendars kept in {tmp}")
        else:
            for name in os.listdir(tmp):
                os.remove(os.path.join(tmp, name))
            os.rmdir(tmp)

    for m in mismatches:
        print(m)
        print()
    if failed > len(mismatches):
        print(f"({failed - len(mismatches)} more mismatches not shown)")
    elapsed_s = time.monotonic() - t0
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(kinds_seen.items()))
    print(
        f"{args.cases} cases over {nsched} schedules (seed {args.seed}) in {elapsed_s:.1f} s; "
        f"start kinds: {kinds}"
    )
    print(
        f"deadline mismatches: {deadline_failures}; elapsed mismatches: {elapsed_failures}; "
        f"excluded: {excluded}"
    )
    print(f"differential: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
