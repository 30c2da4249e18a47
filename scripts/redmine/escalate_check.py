#!/usr/bin/env python3
"""Checks one performing `sla-lens escalate` run against the real Redmine and the sinks
(scripts/redmine-e2e.sh escalate; standard library only).

What must hold after the run, with EXPECTED the issues `sla-lens eval` finds escalated (level L,
unresolved) at the run's instant, and the policy's actions of levels 1..L for each:

  * the run: exit 0, no faults, nothing pending; the first run at an instant did exactly the
    actions newly due (`done`), a repeated run nothing (actionsDue 0, no new journal, mail or POST);
  * Redmine: each due action's `sla-lens:escalated` marker exactly once among the notes the agent
    account wrote on that issue, and no other marker; no note by the agent on any other issue;
    the level 1 contact (the IT manager) a watcher of each issue at level 1 or more, and of no
    other;
  * Redmine's own mail: for each issue at level 1 or more, a message to the IT manager's address
    about that issue, for a journal the agent wrote (Redmine's Message-ID names the journal);
  * sla-lens's mail: one message per level 2 issue to the Marketing head's address, from
    SLA_LENS_SMTP_FROM, Message-ID `<sla-lens.…>` unique, its body holding the email#0 marker;
  * the webhook sink: one POST per level 1 issue, its generic body's `key` the webhook#0 marker.

    escalate_check.py --base URL --setup setup.json --policy P --expected E.json --out-of-scope O.json --sinks DIR
                      --run RUN.json --state STATE.json --label LABEL [--repeat]

E.json: [{"id", "level"}]; --out-of-scope: a JSON list of the ids eval finds out of scope (no
note, no watcher, not planned, counted in the run's outOfScope). STATE.json carries what the previous check saw (created if absent).
Exit 1 with one line per failed check; prints a one-line summary otherwise.
"""
import argparse
import json
import os
import re
import sys
import time
import urllib.request

MARKER = re.compile(r"(?:^|\s)sla-lens:escalated ticket=(\S+) cycle=(\d+) level=(\S+) action=(\S+)")


def get(base, key, path):
    req = urllib.request.Request(base + path, headers={"X-Redmine-API-Key": key})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    for a in ("--base", "--setup", "--policy", "--expected", "--out-of-scope", "--sinks", "--run",
              "--state", "--label"):
        ap.add_argument(a, required=True)
    ap.add_argument("--repeat", action="store_true", help="a repeated run at the same instant")
    ap.add_argument("--head-mail", required=True)
    ap.add_argument("--from-mail", required=True)
    a = ap.parse_args()
    setup = json.load(open(a.setup))
    policy = json.load(open(a.policy))
    run = json.load(open(a.run))
    expected_levels = {str(e["id"]): e["level"] for e in json.load(open(a.expected))}
    out_of_scope = {str(i) for i in json.load(open(a.out_of_scope))}
    state = json.load(open(a.state)) if os.path.exists(a.state) else {}
    admin = setup["api_key"]
    esc = setup["escalation"]
    agent, manager, manager_mail = esc["agent"], esc["it_manager"], esc["it_manager_mail"]
    fails = []

    def check(ok, msg):
        if not ok:
            fails.append(msg)

    # The actions each level does, as marker words: (level, "kind#ordinal").
    level_actions = {}
    for lv in policy["escalation"]["levels"]:
        seen = {}
        acts = []
        for act in lv.get("actions", []):
            n = seen.get(act["kind"], 0)
            seen[act["kind"]] = n + 1
            acts.append(f"{act['kind']}#{n}")
        level_actions[lv["level"]] = acts
    expected = {(i, str(lv), act) for i, top in expected_levels.items()
                for lv in range(1, top + 1) for act in level_actions.get(lv, [])}
    before = {tuple(k) for k in state.get("expected", [])}

    # The run itself.
    check(run.get("exit") == 0, f"exit {run.get('exit')} (want 0)")
    check(run.get("dryRun") is False, "dryRun is not false")
    check(not run.get("faults"), f"faults: {run.get('faults')}")
    check(not run.get("pending"), f"pending: {run.get('pending')}")
    check(run.get("outOfScope") == len(out_of_scope),
          f"outOfScope {run.get('outOfScope')}, eval says {len(out_of_scope)} ({sorted(out_of_scope)})")
    check(not any(str(p["id"]) in out_of_scope for p in run.get("plan", [])), "an out-of-scope issue planned")
    done = sorted((str(d["id"]), d["kind"]) for d in run.get("done", []))
    if a.repeat:
        check(run.get("actionsDue") == 0, f"a repeated run has {run.get('actionsDue')} actions due")
        check(not done, f"a repeated run did {done}")
    else:
        new = sorted((i, act.split("#")[0]) for (i, _, act) in expected - before)
        check(done == new, f"done {done}, want the newly due {new}")
        check(run.get("actionsDue") == len(new), f"actionsDue {run.get('actionsDue')}, want {len(new)}")

    # Redmine: the agent's notes and markers, the watchers, on every issue of the seeded projects.
    issues = get(a.base, admin, "/issues.json?status_id=*&sort=id&limit=100")["issues"]
    agent_journals = {}
    markers = {}
    for it in issues:
        i = str(it["id"])
        full = get(a.base, admin, f"/issues/{i}.json?include=journals,watchers")["issue"]
        mine = [j for j in full.get("journals", []) if j["user"]["id"] == agent]
        agent_journals[i] = [j["id"] for j in mine]
        for j in mine:
            for line in (j.get("notes") or "").splitlines():
                for m in MARKER.finditer(line):
                    check(m.group(1) == i, f"#{i}: a marker for ticket {m.group(1)}")
                    k = (i, m.group(3), m.group(4))
                    markers[k] = markers.get(k, 0) + 1
        watching = any(w["id"] == manager for w in full.get("watchers", []))
        want_watch = expected_levels.get(i, 0) >= 1
        check(watching == want_watch,
              f"#{i}: the IT manager {'is not' if want_watch else 'is'} a watcher")
        if i not in expected_levels:
            what = "out of scope" if i in out_of_scope else "not escalated"
            check(not mine, f"#{i} ({what}): {len(mine)} notes by the agent")
            check(not full.get("watchers") or i not in out_of_scope, f"#{i} ({what}): watchers {full.get('watchers')}")
    for k in sorted(expected):
        check(markers.get(k, 0) == 1, f"#{k[0]}: marker level={k[1]} action={k[2]} "
                                      f"{markers.get(k, 0)} times (want once)")
    for k in sorted(set(markers) - expected):
        check(False, f"#{k[0]}: an unexpected marker level={k[1]} action={k[2]}")

    # Redmine's own mail to the IT manager (delivered asynchronously: wait for it).
    l1 = sorted(i for i, lv in expected_levels.items() if lv >= 1)

    def manager_mail_for(i, mails):
        for m in mails:
            mid = re.match(r"<redmine\.journal-(\d+)\.", m.get("messageId", ""))
            if (manager_mail in m["rcptTos"] and f"#{i}]" in m["subject"] and mid
                    and int(mid.group(1)) in agent_journals.get(i, [])):
                return True
        return False

    deadline = time.time() + 30
    while True:
        mails = jsonl(os.path.join(a.sinks, "mail.jsonl"))
        missing = [i for i in l1 if not manager_mail_for(i, mails)]
        if not missing or time.time() > deadline:
            break
        time.sleep(1)
    check(not missing, f"no Redmine mail to {manager_mail} for an agent's note on {missing}")
    # Let late deliveries land before counting.
    last = -1
    while last != len(mails):
        last = len(mails)
        time.sleep(2)
        mails = jsonl(os.path.join(a.sinks, "mail.jsonl"))

    # sla-lens's own mail to the Marketing department head.
    ours = [m for m in mails if m["messageId"].startswith("<sla-lens.")]
    ids = [m["messageId"] for m in ours]
    check(len(ids) == len(set(ids)), f"repeated Message-IDs: {ids}")
    per = {}
    for m in ours:
        check(m["rcptTos"] == [a.head_mail], f"sla-lens mail to {m['rcptTos']}")
        check(m["mailFrom"] == a.from_mail, f"sla-lens mail from {m['mailFrom']}")
        domain = a.from_mail.split("@")[1]
        check(re.fullmatch(r"<sla-lens\.[^@<>\s]+@" + re.escape(domain) + ">", m["messageId"]),
              f"Message-ID {m['messageId']} is not <sla-lens.…@{domain}>")
        for line in m["text"].splitlines():
            for mk in MARKER.finditer(line):
                k = (mk.group(1), mk.group(3), mk.group(4))
                per[k] = per.get(k, 0) + 1
    want_mail = {k for k in expected if k[2].startswith("email#")}
    check(set(per) == want_mail and all(v == 1 for v in per.values()),
          f"sla-lens mails by marker {sorted(per.items())}, want each of {sorted(want_mail)} once")
    check(not any(manager_mail in m["rcptTos"] for m in ours), "sla-lens mailed the IT manager")

    # The webhook sink.
    hooks = jsonl(os.path.join(a.sinks, "webhooks.jsonl"))
    hk = {}
    for h in hooks:
        check(h["method"] == "POST" and h["path"] == "/hooks/sla-lens",
              f"webhook {h['method']} {h['path']}")
        check("json" in h.get("headers", {}).get("content-type", ""),
              f"webhook content-type {h.get('headers', {}).get('content-type')}")
        mk = MARKER.search((h.get("json") or {}).get("key", ""))
        if mk:
            k = (mk.group(1), mk.group(3), mk.group(4))
            hk[k] = hk.get(k, 0) + 1
        else:
            check(False, f"webhook body without a key marker: {h.get('body', '')[:200]}")
    want_hooks = {k for k in expected if k[2].startswith("webhook#")}
    check(set(hk) == want_hooks and all(v == 1 for v in hk.values()),
          f"webhook POSTs by key {sorted(hk.items())}, want each of {sorted(want_hooks)} once")

    counts = {"agentNotes": sum(len(v) for v in agent_journals.values()),
              "mail": len(mails), "slaLensMail": len(ours), "webhooks": len(hooks)}
    if a.repeat:
        for name in counts:
            check(counts[name] == state.get("counts", {}).get(name),
                  f"a repeated run changed {name}: {state.get('counts', {}).get(name)} → {counts[name]}")
    json.dump({"expected": sorted(expected), "counts": counts}, open(a.state, "w"))
    if fails:
        for f in fails:
            print(f"[{a.label}] FAIL {f}", file=sys.stderr)
        sys.exit(1)
    print(f"[{a.label}] ok: {len(expected)} action markers on {len(expected_levels)} issues "
          f"(once each), {len(l1)} watched by the IT manager and mailed by Redmine, "
          f"{len(ours)} sla-lens mails, {len(hooks)} webhook POSTs; counts {counts}")


if __name__ == "__main__":
    main()
