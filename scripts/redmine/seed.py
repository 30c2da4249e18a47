#!/usr/bin/env python3
"""Seeds a local Redmine over REST, then backdates it with sqlite3 so that at NOW every SLA state
of the seed policy (policies/default.json; business-hours.json for the pause) is covered.

Run by `scripts/redmine.sh seed`; standard library only. REST cannot set `created_on`, so each
issue is created and changed over REST (as the seeded users, through X-Redmine-Switch-User) and
then its row and its journals' rows get the planned instants (UTC) in the instance database.

Every seeded subject starts with a tag like `[S01 on-track]`: the tag, not the issue id, is what
tests key on, so re-seeding (which deletes and recreates the projects) keeps them valid.
"""
import argparse
import datetime as dt
import json
import sqlite3
import sys
import urllib.error
import urllib.request

UTC = dt.timezone.utc
# The fixed evaluation instant the fixtures are recorded for (a Friday, 13:00 in Berlin).
NOW = dt.datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)

PROJECTS = [
    {"identifier": "marketing-it", "name": "Marketing IT support",
     "categories": ["Hardware", "Network", "Backup", "Training", "General IT services"]},
    {"identifier": "general-it", "name": "General IT",
     "categories": ["General IT services", "Hardware"]},
]
MEMBERS = [("sam", "Developer"), ("ines", "Developer"), ("mia", "Reporter"), ("gus", "Reporter")]
# Escalation (#14): the IT manager, and the agent account sla-lens acts as with its own role
# (setup.rb), in every seeded project (S12 is in scope from general-it).
ESCALATION_MEMBERS = [("ingrid", "Reporter"), ("sla-lens", "SLA agent")]

# Each issue: who opened it when (hours relative to NOW), then changes (user, hours, fields).
# Expected states (default policy, 24x7: critical 4h / normal 24h response, at risk at 75%,
# level 1 at the deadline, level 2 at twice the target) are asserted in tests/adapters.rs.
ISSUES = [
    dict(tag="S01 on-track", subject="Printer queue stuck on the 3rd floor",
         project="marketing-it", tracker="Support", priority="Normal", category="Hardware",
         author="mia", at=-2,
         changes=[("mia", -1, {"notes": "Any news? We need it for the campaign print run."})]),
    dict(tag="S02 at-risk", subject="Wi-Fi drops in meeting room B",
         project="marketing-it", tracker="Bug", priority="Normal", category="Network",
         author="mia", at=-20,
         # A private note is not a response to the customer.
         changes=[("ines", -19, {"notes": "Probably the old access point.", "private_notes": True})]),
    dict(tag="S03 breached", subject="Restore deleted campaign folder",
         project="marketing-it", tracker="Support", priority="High", category="Backup",
         author="mia", at=-30,
         # A status change without notes is not a response either.
         changes=[("sam", -29, {"status": "In Progress", "assigned_to": "sam"})]),
    dict(tag="S04 escalated-2", subject="VPN down for the whole team",
         project="marketing-it", tracker="Incident", priority="Urgent", category="Network",
         author="mia", at=-10, changes=[]),
    dict(tag="S05 met", subject="Training on the new CMS",
         project="marketing-it", tracker="Support", priority="Normal", category="Training",
         author="mia", at=-50,
         changes=[("sam", -47, {"notes": "Booked a session for Tuesday.", "assigned_to": "sam"}),
                  ("sam", -44, {"status": "Resolved"}),
                  ("sam", -40, {"status": "Closed"})]),
    dict(tag="S06 met-late", subject="Laptop will not boot",
         project="marketing-it", tracker="Incident", priority="Immediate", category="Hardware",
         author="mia", at=-30,
         changes=[("sam", -24, {"notes": "Picking it up now.", "status": "In Progress"})]),
    dict(tag="S07 out-of-scope", subject="New badge for the front desk",
         project="general-it", tracker="Support", priority="Normal",
         category="General IT services", author="gus", at=-5, changes=[]),
    dict(tag="S08 excluded", subject="Company-wide password policy question",
         project="marketing-it", tracker="Support", priority="Normal",
         category="General IT services", author="mia", at=-5, changes=[]),
    dict(tag="S09 critical-running", subject="Campaign landing page returns 500",
         project="marketing-it", tracker="Incident", priority="Critical", category="Network",
         author="mia", at=-1, changes=[]),
    dict(tag="S10 reopened", subject="Shared drive mapping lost again",
         project="marketing-it", tracker="Support", priority="Normal", category="Hardware",
         author="mia", at=-120,
         changes=[("sam", -118, {"notes": "Remapped the drive."}),
                  ("sam", -100, {"status": "Resolved"}),
                  ("mia", -3, {"notes": "It is gone again after the update."}),
                  ("sam", -3, {"status": "In Progress"})]),
    dict(tag="S11 paused", subject="Need the brand font installed",
         project="marketing-it", tracker="Support", priority="Normal", category="Hardware",
         author="mia", at=-28,
         changes=[("sam", -27, {"notes": "Which licence do you have for it?"}),
                  ("sam", -26, {"status": "Waiting on customer"})]),
    dict(tag="S12 requester-group", subject="Monitor flickers",
         project="general-it", tracker="Bug", priority="High", category="Hardware",
         author="mia", at=-6, department="Marketing", changes=[]),
]


class Api:
    def __init__(self, base, key):
        self.base, self.key = base.rstrip("/"), key

    def call(self, method, path, body=None, as_user=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("X-Redmine-API-Key", self.key)
        req.add_header("Content-Type", "application/json")
        if as_user:
            req.add_header("X-Redmine-Switch-User", as_user)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                text = r.read().decode()
        except urllib.error.HTTPError as e:
            sys.exit(f"{method} {path} failed: {e.code} {e.read().decode()[:500]}")
        return json.loads(text) if text.strip() else {}


def add_escalation_members(api, users, roles):
    """The escalation people's memberships (skipped when setup.rb did not make them)."""
    for p in PROJECTS:
        for login, role in ESCALATION_MEMBERS:
            if login in users and role in roles:
                api.call("POST", f"/projects/{p['identifier']}/memberships.json",
                         {"membership": {"user_id": users[login], "role_ids": [roles[role]]}})


def stamp(hours):
    return (NOW + dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--users", required=True, help="JSON {login: id} from setup.rb")
    ap.add_argument("--department-field", type=int, required=True)
    a = ap.parse_args()
    api = Api(a.base, a.key)
    users = json.loads(a.users)
    logins = {str(v): k for k, v in users.items()}

    statuses = {s["name"]: s for s in api.call("GET", "/issue_statuses.json")["issue_statuses"]}
    priorities = {p["name"]: p["id"] for p in
                  api.call("GET", "/enumerations/issue_priorities.json")["issue_priorities"]}
    trackers = {t["name"]: t["id"] for t in api.call("GET", "/trackers.json")["trackers"]}
    roles = {r["name"]: r["id"] for r in api.call("GET", "/roles.json")["roles"]}

    categories = {}
    for p in PROJECTS:
        # Re-seeding starts from scratch: drop the project (and its issues) first.
        req = urllib.request.Request(f"{api.base}/projects/{p['identifier']}.json",
                                     headers={"X-Redmine-API-Key": api.key})
        try:
            urllib.request.urlopen(req, timeout=30).read()
            api.call("DELETE", f"/projects/{p['identifier']}.json")
        except urllib.error.HTTPError as e:
            if e.code != 404:
                raise
        api.call("POST", "/projects.json", {"project": {
            "name": p["name"], "identifier": p["identifier"], "is_public": True,
            "tracker_ids": list(trackers.values()),
            "enabled_module_names": ["issue_tracking"],
        }})
        for login, role in MEMBERS:
            api.call("POST", f"/projects/{p['identifier']}/memberships.json",
                     {"membership": {"user_id": users[login], "role_ids": [roles[role]]}})
        for c in p["categories"]:
            cat = api.call("POST", f"/projects/{p['identifier']}/issue_categories.json",
                           {"issue_category": {"name": c}})["issue_category"]
            categories[(p["identifier"], c)] = cat["id"]

    add_escalation_members(api, users, roles)

    updates = []  # applied after all REST calls: an open write transaction would block Redmine
    seeded = []
    for spec in ISSUES:
        fields = {
            "project_id": spec["project"],
            "tracker_id": trackers[spec["tracker"]],
            "priority_id": priorities[spec["priority"]],
            "category_id": categories[(spec["project"], spec["category"])],
            "subject": f"[{spec['tag']}] {spec['subject']}",
            "description": f"Seeded by scripts/redmine/seed.py ({spec['tag']}).",
        }
        if spec.get("department"):
            fields["custom_fields"] = [{"id": a.department_field, "value": spec["department"]}]
        issue = api.call("POST", "/issues.json", {"issue": fields}, as_user=spec["author"])["issue"]
        iid = issue["id"]
        for login, _, change in spec["changes"]:
            body = {}
            if "notes" in change:
                body["notes"] = change["notes"]
            if change.get("private_notes"):
                body["private_notes"] = True
            if "status" in change:
                body["status_id"] = statuses[change["status"]]["id"]
            if "assigned_to" in change:
                body["assigned_to_id"] = users[change["assigned_to"]]
            api.call("PUT", f"/issues/{iid}.json", {"issue": body}, as_user=login)
        journals = api.call("GET", f"/issues/{iid}.json?include=journals")["issue"]["journals"]
        if len(journals) != len(spec["changes"]):
            sys.exit(f"issue {iid}: expected {len(spec['changes'])} journals, got {len(journals)}")
        # Backdate: the issue, each journal in order, and the closing instant.
        closed_at = None
        for j, (login, hours, change) in zip(journals, spec["changes"]):
            updates.append(("UPDATE journals SET created_on = ? WHERE id = ?",
                            (stamp(hours), j["id"])))
            if "status" in change:
                closed_at = stamp(hours) if statuses[change["status"]]["is_closed"] else None
        last = spec["changes"][-1][1] if spec["changes"] else spec["at"]
        updates.append((
            "UPDATE issues SET created_on = ?, updated_on = ?, start_date = ?, closed_on = ? "
            "WHERE id = ?",
            (stamp(spec["at"]), stamp(last), stamp(spec["at"])[:10], closed_at, iid)))
        seeded.append({"id": iid, "tag": spec["tag"]})
    db = sqlite3.connect(a.db, timeout=30)
    with db:
        for sql, params in updates:
            if db.execute(sql, params).rowcount != 1:
                sys.exit(f"backdating failed: {sql} {params}")
    db.close()
    print(json.dumps({"now": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "issues": seeded}))


if __name__ == "__main__":
    main()
