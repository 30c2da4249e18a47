#!/usr/bin/env python3
"""A deterministic, realistic demo export of canonical sla-lens tickets (standard library only).

    python3 scripts/gen-export.py                       # the committed demo data (2,000 tickets)
    python3 scripts/gen-export.py --count 100000 --out target/export-100000.json   # benchmarks

The same seed and arguments always give the same bytes. The tickets span the 12 months before
--end (default 2026-11-27T12:00:00Z, the demo's "now") and are shaped for the default (seed)
policy: mostly the Marketing department (some other departments and general IT services, out of
scope), priorities mostly normal with about 15 % critical, categories over the seed's four
services, staff answering in Berlin office hours (critical issues on call) with a fat tail of
slow answers that breach and escalate, some tickets waiting on the customer, some reopened, and
the most recent still open. Events after --end are cut off, as a tracker export taken then.
"""

import argparse
import datetime as dt
import json
import math
import random
import sys

UTC = dt.timezone.utc
HOUR = 3600
DAY = 86400

# Berlin office hours for the staff model (the default policy itself counts 24x7).
OPEN_H, CLOSE_H = 8, 18
HOLIDAYS = {
    "2025-12-25", "2025-12-26", "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01",
    "2026-05-14", "2026-05-25", "2026-10-03", "2026-12-25", "2026-12-26",
}

MARKETING = [
    "Anna Becker", "Jonas Weber", "Lea Hoffmann", "Paul Schulz", "Mia Wagner", "Noah Koch",
    "Emma Richter", "Luis Klein", "Sofia Wolf", "Elias Neumann", "Hannah Schwarz",
    "Felix Zimmermann", "Clara Braun", "Ben Krüger", "Lina Hartmann",
]
OTHERS = {
    "Sales": ["Tim Lange", "Nora Frank"],
    "Finance": ["Eva Berger", "Max Roth"],
    "HR": ["Ida Vogel", "Tom Jung"],
}
STAFF = ["it-ana", "it-bob", "it-cem", "it-dora", "it-emil"]

# (category value as the tracker has it, weight, title templates)
CATEGORIES = [
    ("Hardware", 14, ["Laptop {n} will not boot", "Second monitor flickers", "Docking station not detected",
                      "Keyboard missing keys on laptop {n}", "New headset for video calls"]),
    ("Software", 12, ["Adobe Creative Cloud licence expired", "Photoshop crashes on export",
                      "Install Figma for the design team", "Office macros blocked", "CMS editor freezes"]),
    ("Printer", 8, ["Printer on floor {f} jams", "Colour printer prints streaks", "Cannot add printer {f}-{n}",
                    "Poster plotter out of ink"]),
    ("Application", 6, ["Newsletter tool login fails", "Analytics dashboard shows no data",
                        "CRM export times out"]),
    ("Network", 11, ["Slow network on floor {f}", "Shared drive unreachable", "Cannot reach the DAM server"]),
    ("VPN", 8, ["VPN drops every hour", "VPN rejects new token", "Home office VPN very slow"]),
    ("Wi-Fi", 6, ["Wi-Fi in meeting room {n} keeps dropping", "Guest Wi-Fi for the agency visit"]),
    ("Backup", 7, ["Campaign folder missing its nightly backup", "Backup of laptop {n} failed"]),
    ("Restore", 5, ["Restore deleted brand assets", "Restore last week's price list"]),
    ("Training", 10, ["Training on the new CMS", "Onboarding for {who}: accounts and tools",
                      "Workshop: sharing files securely"]),
    ("How-to", 8, ["How do I share a calendar?", "How to set up the e-mail signature",
                   "How to request a software licence"]),
    (None, 5, ["Something odd with my account", "Question about the new phones", "Request from {who}"]),
]

GENERAL_IT = ["Company-wide password reset", "New badge for the lobby", "Parking permit system down",
              "Intranet news page broken"]


_DST = {}


def berlin_offset(t):
    """Seconds east of UTC in Europe/Berlin (EU rule: last Sundays of March and October)."""
    y = dt.datetime.fromtimestamp(t, UTC).year
    if y not in _DST:

        def last_sunday(month):
            d = dt.datetime(y, month, 31, 1, tzinfo=UTC)
            return (d - dt.timedelta(days=(d.weekday() + 1) % 7)).timestamp()

        _DST[y] = (last_sunday(3), last_sunday(10))
    start, end = _DST[y]
    return 2 * HOUR if start <= t < end else HOUR


def local(t):
    return dt.datetime.fromtimestamp(t + berlin_offset(t), UTC).replace(tzinfo=None)


def office_day(l):
    return l.weekday() < 5 and l.strftime("%Y-%m-%d") not in HOLIDAYS


def to_utc(naive):
    """The instant a local Berlin wall-clock time (a naive datetime) names."""
    n = int(naive.replace(tzinfo=UTC).timestamp())
    return n - berlin_offset(n - berlin_offset(n - HOUR))


def add_working(t, secs):
    """The instant after `secs` seconds of staff working time from t (office hours in Berlin)."""
    t = int(t)
    while True:
        l = local(t)
        day = dt.datetime(l.year, l.month, l.day)
        opens = to_utc(day + dt.timedelta(hours=OPEN_H))
        closes = to_utc(day + dt.timedelta(hours=CLOSE_H))
        if not office_day(l) or t >= closes:
            t = to_utc(day + dt.timedelta(days=1))
            continue
        t = max(t, opens)
        take = min(secs, closes - t)
        t += take
        secs -= take
        if secs <= 0:
            return t


def stamp(t):
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def lognormal(rng, median, sigma):
    return median * math.exp(rng.gauss(0.0, sigma))


def weighted(rng, items, weight):
    total = sum(weight(i) for i in items)
    x = rng.random() * total
    for i in items:
        x -= weight(i)
        if x < 0:
            return i
    return items[-1]


def creation_time(rng, start, end):
    """Mostly office hours on working days; some evenings, nights and weekends."""
    while True:
        t = start + rng.random() * (end - start)
        l = local(t)
        w = 1.0
        if l.weekday() >= 5 or l.strftime("%Y-%m-%d") in HOLIDAYS:
            w *= 0.12
        if not (OPEN_H <= l.hour < CLOSE_H):
            w *= 0.08 if (l.hour < 6 or l.hour >= 22) else 0.3
        if rng.random() < w:
            return int(t) - int(t) % 60 + rng.randrange(60)


def ticket(rng, created, end):
    """One ticket's story; events after `end` are dropped afterwards."""
    r = rng.random()
    labels = []
    fields = {}
    if r < 0.07:
        group = weighted(rng, list(OTHERS), lambda _: 1)
        requester = rng.choice(OTHERS[group])
        fields["requesterGroup"] = group
        fields["project"] = "it-general"
    else:
        group = "Marketing"
        requester = rng.choice(MARKETING)
        fields["requesterGroup"] = group
        fields["project"] = "marketing-it"
    general = r >= 0.07 and r < 0.10
    if general:
        title = rng.choice(GENERAL_IT)
        if rng.random() < 0.5:
            labels.append("general-it")
        else:
            fields["category"] = "General IT services"
    else:
        cat, _, titles = weighted(rng, CATEGORIES, lambda c: c[1])
        if cat is not None:
            fields["category"] = cat
        title = rng.choice(titles).format(n=rng.randrange(1, 40), f=rng.randrange(1, 6),
                                          who=rng.choice(MARKETING))
    p = rng.random()
    priority = ("Critical" if p < 0.06 else "Urgent" if p < 0.15 else "High" if p < 0.27
                else "Low" if p < 0.38 else "Normal")
    fields["priority"] = priority
    critical = priority in ("Critical", "Urgent")
    if rng.random() < 0.05:
        labels.append("dept:marketing")

    # First response: on call for critical issues (wall clock), office hours otherwise.
    if critical:
        delay = lognormal(rng, 1.1 * HOUR, 0.75)
        if rng.random() < 0.06:
            delay *= rng.uniform(3, 8)
        replied = created + int(delay)
    else:
        delay = lognormal(rng, 1.5 * HOUR, 0.9)
        if rng.random() < 0.04:
            delay += rng.uniform(1, 5) * 10 * HOUR
        replied = add_working(created, int(delay))
    assignee = rng.choice(STAFF)
    comments = [{"at": replied, "author": assignee, "staff": True}]
    history = [(replied, "New", "In Progress")]
    status = "In Progress"
    t = replied

    # Some wait on the customer (once or twice).
    for _ in range(2 if rng.random() < 0.3 else 1):
        if rng.random() < 0.16:
            t = add_working(t, int(lognormal(rng, 2 * HOUR, 0.8)))
            comments.append({"at": t, "author": assignee, "staff": True})
            history.append((t, status, "Waiting on customer"))
            t += int(lognormal(rng, 20 * HOUR, 1.0))
            comments.append({"at": t, "author": requester, "staff": False})
            history.append((t, "Waiting on customer", "In Progress"))

    # Resolution, sometimes a reopening, often a close a few days later.
    work = lognormal(rng, (3 if critical else 7) * HOUR, 1.1)
    t = add_working(t, int(work))
    history.append((t, "In Progress", "Resolved"))
    if rng.random() < 0.06:
        t += int(rng.uniform(0.5, 6) * DAY)
        comments.append({"at": t, "author": requester, "staff": False})
        history.append((t, "Resolved", "In Progress"))
        if rng.random() < 0.85:
            again = lognormal(rng, (1 if critical else 2) * HOUR, 0.8)
            t2 = t + int(again) if critical else add_working(t, int(again))
            comments.append({"at": t2, "author": assignee, "staff": True})
        t = add_working(t, int(lognormal(rng, 6 * HOUR, 1.0)))
        history.append((t, "In Progress", "Resolved"))
    if rng.random() < 0.6:
        history.append((t + int(rng.uniform(2, 5) * DAY), "Resolved", "Closed"))

    # Cut at the export instant.
    history = [h for h in history if h[0] <= end]
    comments = sorted((c for c in comments if c["at"] <= end), key=lambda c: c["at"])
    status = history[-1][2] if history else "New"
    out = {
        "title": title,
        "created": stamp(created),
        "fields": fields,
    }
    if labels:
        out["labels"] = labels
    out["requester"] = requester
    if history:
        out["assignee"] = assignee
    out["status"] = status
    if history:
        out["statusHistory"] = [{"at": stamp(a), "from": f, "to": to} for a, f, to in history]
    if comments:
        out["comments"] = [dict(c, at=stamp(c["at"])) for c in comments]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--end", default="2026-11-27T12:00:00Z", help="the export instant (UTC)")
    ap.add_argument("--months", type=int, default=12, help="months of history before --end")
    ap.add_argument("--out", default="-", help="output file (default: standard output)")
    a = ap.parse_args()

    end = int(dt.datetime.strptime(a.end, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())
    e = dt.datetime.fromtimestamp(end, UTC)
    y, m = divmod(e.year * 12 + e.month - 1 - a.months, 12)
    start = int(e.replace(year=y, month=m + 1).timestamp())
    rng = random.Random(a.seed)
    created = sorted(creation_time(rng, start, end) for _ in range(a.count))
    lines = []
    for i, c in enumerate(created):
        t = ticket(rng, c, end)
        n = 1001 + i
        t = {"id": str(n), "url": f"https://tracker.example/issues/{n}", **t}
        lines.append(json.dumps(t, ensure_ascii=False, separators=(",", ":")))
    text = "[\n" + ",\n".join(lines) + "\n]\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
