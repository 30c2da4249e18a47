#!/usr/bin/env python3
"""Checks one `sla-lens escalate --tracker rt` run against the real RT (scripts/rt/escalate-test.sh).

Reads every seeded ticket's history over REST 2 (root's token) and holds what the agent `sla`
did since the seed to what `sla-lens eval` says of the seeded tickets at the run's instant
(--expected: [{id, level}] of the escalated ones), under tests/fixtures/rt/escalate-policy.json:

- level 1 reached: Bob is made an AdminCc once and the owner once, and one public note
  (Correspond) says "SLA escalation, level 1";
- level 2 reached: Alice is made an AdminCc once, and one private note (Comment) says "SLA
  escalation, level 2";
- the agent's markers (`sla-lens:escalated` lines) name each of those actions exactly once;
- every other seeded ticket has nothing new by the agent;
- --repeat: the run did nothing (no action due, no new transaction on any ticket).

Exit 0 when all hold; otherwise every failure is printed and the exit is 1.
"""

import argparse
import json
import re
import sys
import urllib.parse
import urllib.request

LEVELS = {1: {"watch#0", "assign#0", "note#0"}, 2: {"watch#0", "note#0"}}
MARKER = re.compile(r"^sla-lens:escalated ticket=(\d+) cycle=(\d+) level=(\d+) action=(\S+)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--seed", required=True, help="the seed's seed.json (root's token, tickets)")
    ap.add_argument("--baseline", required=True, help="the recorded seed: DIR/history/N.json")
    ap.add_argument("--expected", required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("--state", required=True, help="transaction counts of the previous check")
    ap.add_argument("--label", required=True)
    ap.add_argument("--repeat", action="store_true")
    a = ap.parse_args()
    seed = json.load(open(a.seed))
    token = seed["token"]

    def get(path):
        req = urllib.request.Request(
            a.base + "/REST/2.0/" + path, headers={"Authorization": "token " + token}
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)

    def pages(path):
        out, page = [], 1
        while True:
            v = get(f"{path}&per_page=100&page={page}")
            out += v["items"]
            if page >= v.get("pages", 1) or len(v["items"]) < 100:
                return out
            page += 1

    principal = {u: str(get(f"user/{u}")["id"]) for u in ("bob", "alice", "sla")}
    expected = {str(e["id"]): e["level"] for e in json.load(open(a.expected))}
    run = json.load(open(a.run))
    fails = []
    counts = {}
    summary = {"correspond": 0, "comment": 0, "adminCc": 0, "owner": 0}
    for tag, tid in sorted(seed["tickets"].items()):
        tid = str(tid)
        base = {str(t["id"]) for t in json.load(open(f"{a.baseline}/history/{tid}.json"))["items"]}
        hist = pages(
            f"ticket/{tid}/history?fields=Type,Creator,Field,OldValue,NewValue,Created"
        )
        counts[tid] = len(hist)
        by_agent = [t for t in hist if str(t["Creator"]["id"]) in ("sla", principal["sla"])]
        mine = [t for t in by_agent if str(t["id"]) not in base]
        level = expected.get(tid, 0)
        where = f"{tag} (ticket {tid}, level {level})"
        # What another account did (RT's own: status new -> open on a reply) is not checked,
        # but all of it must come from the agent's writes: nobody else writes during the test.
        bodies = {}
        for t in by_agent:
            if t["Type"] in ("Correspond", "Comment"):
                att = pages(
                    f"transaction/{t['id']}/attachments?fields=ContentType,Content"
                )
                bodies[t["id"]] = "\n".join(
                    x.get("Content", "") for x in att if x.get("ContentType") == "text/plain"
                )
        # The agent's notes since the seed.
        corr = [t for t in mine if t["Type"] == "Correspond"]
        comm = [t for t in mine if t["Type"] == "Comment"]
        l1 = [t for t in corr if "SLA escalation, level 1" in bodies[t["id"]]]
        l2 = [t for t in comm if "SLA escalation, level 2" in bodies[t["id"]]]
        watch = lambda who: [
            t
            for t in mine
            if t["Type"] == "AddWatcher"
            and t.get("Field") == "AdminCc"
            and str(t.get("NewValue")) == principal[who]
        ]
        # RT records an owner change twice: `Set` (the field) and `SetWatcher` (the role group).
        owner = [
            t
            for t in mine
            if t["Type"] == "Set"
            and t.get("Field") == "Owner"
            and str(t.get("NewValue")) == principal["bob"]
        ]
        if len([t for t in mine if t.get("Field") == "Owner"]) != 2 * len(owner):
            fails.append(f"{where}: owner changes other than to Bob: {[t for t in mine if t.get('Field') == 'Owner']}")
        def markers_in(txns):
            out = []
            for t in txns:
                for line in bodies.get(t["id"], "").splitlines():
                    m = MARKER.match(line.strip())
                    if m and m.group(1) == tid:
                        out.append((int(m.group(3)), m.group(4)))
            return out

        # What the seed recorded as done already (R12's level 1 note) is not done again.
        seeded = set(markers_in([t for t in by_agent if str(t["id"]) in base]))

        def once(n, key):
            return 1 if level >= n and (n, key) not in seeded else 0

        want = {
            "public notes (Correspond, level 1)": (len(l1), once(1, "note#0")),
            "all public notes": (len(corr), once(1, "note#0")),
            "private notes (Comment, level 2)": (len(l2), once(2, "note#0")),
            "Bob made AdminCc": (len(watch("bob")), once(1, "watch#0")),
            "Alice made AdminCc": (len(watch("alice")), once(2, "watch#0")),
            "owner changes": (len(owner), once(1, "assign#0")),
        }
        for what, (got, exp) in want.items():
            if got != exp:
                fails.append(f"{where}: {what}: {got}, expected {exp}")
        markers = markers_in(by_agent)
        # Each due action's marker once, beside what the seed recorded.
        want_markers = sorted({(n, k) for n in LEVELS if n <= level for k in LEVELS[n]} | seeded)
        if sorted(markers) != want_markers:
            fails.append(f"{where}: markers {sorted(markers)}, expected {want_markers}")
        if level == 0 and mine:
            fails.append(f"{where}: the agent wrote on a ticket not escalated: {[t['Type'] for t in mine]}")
        if level >= 1:
            now = get(f"ticket/{tid}")
            admin = {str(x["id"]) for x in now.get("AdminCc", [])}
            if "bob" not in admin or (level >= 2 and "alice" not in admin):
                fails.append(f"{where}: AdminCc is {sorted(admin)}")
            if now["Owner"]["id"] != "bob":
                fails.append(f"{where}: the owner is {now['Owner']['id']}, not bob")
        summary["correspond"] += len(corr)
        summary["comment"] += len(comm)
        summary["adminCc"] += len(watch("bob")) + len(watch("alice"))
        summary["owner"] += len(owner)
    if run.get("exit") != 0 or run.get("faults") or run.get("pending"):
        fails.append(f"the run reported exit {run.get('exit')}, faults {run.get('faults')}, pending {run.get('pending')}")
    if a.repeat:
        try:
            before = json.load(open(a.state))
        except FileNotFoundError:
            before = None
        if run.get("actionsDue") != 0 or run.get("done"):
            fails.append(f"a repeated run had {run.get('actionsDue')} actions due, did {run.get('done')}")
        if before != counts:
            fails.append(f"a repeated run wrote: transactions {before} -> {counts}")
    json.dump(counts, open(a.state, "w"))
    escalated = sorted(int(k) for k, v in expected.items() if v >= 1)
    print(
        f"{a.label}: tickets escalated {escalated} (level 2: "
        f"{sorted(int(k) for k, v in expected.items() if v >= 2)}); the agent's writes in all: "
        f"{json.dumps(summary)}; {len(fails)} failures",
        file=sys.stderr,
    )
    for f in fails:
        print("FAIL " + f, file=sys.stderr)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
