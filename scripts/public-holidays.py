#!/usr/bin/env python3
"""Public holidays as static data for sla-lens calendars (issue #16 item 2).

Writes www/holidays/index.json and one www/holidays/<CC>.json per country, from the pinned
Python `holidays` package (https://github.com/vacanza/holidays, MIT; version in
scripts/holidays-requirements.txt), for the years YEARS: each country's public holidays in its
own language, and per subdivision (state, region) the dates it adds to or drops from the
country's list. www/holidays.js reads them; an admin picks a country, a region and years and
gets the dates, then edits them. Nothing here is typed by hand, and the output is the same bytes
for the same package version (sorted, no timestamps).

    scripts/public-holidays.py [OUT_DIR]    (default: www/holidays; make holidays runs it in .tools/holidays-venv)
"""

import json
import os
import sys

import holidays

YEARS = range(2025, 2036)


def public(code, subdiv=None):
    """The holidays of `code` (and `subdiv`) in YEARS, in the country's default language."""
    probe = holidays.country_holidays(code, years=[])
    lang = probe.default_language
    h = holidays.country_holidays(code, subdiv=subdiv, years=YEARS, language=lang)
    return lang, {(d.isoformat(), name) for d, name in h.items()}


def entries(pairs):
    return [[d, name] for d, name in sorted(pairs)]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("www", "holidays")
    os.makedirs(out, exist_ok=True)
    index = {
        "source": f"holidays {holidays.__version__} (python-holidays, MIT licence)",
        "years": [YEARS.start, YEARS.stop - 1],
        "countries": {},
    }
    for code, subdivs in sorted(holidays.list_supported_countries().items()):
        if len(code) != 2:  # the alpha-3 aliases of the same countries
            continue
        lang, national = public(code)
        regions = {}
        for sd in subdivs:
            _, here = public(code, sd)
            add, drop = here - national, national - here
            if add or drop:
                regions[sd] = {"add": entries(add), "drop": entries(drop)}
            else:
                regions[sd] = {"add": [], "drop": []}
        cls = holidays.country_holidays(code, years=[])
        aliases = getattr(cls, "subdivisions_aliases", {}) or {}
        names = {}
        for alias, sd in aliases.items():
            names.setdefault(sd, alias)
        doc = {
            "country": code,
            "language": lang,
            "years": index["years"],
            "source": index["source"],
            "holidays": entries(national),
            "regions": regions,
        }
        with open(os.path.join(out, f"{code}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            f.write("\n")
        index["countries"][code] = {
            "language": lang,
            "regions": [{"code": sd, "name": names.get(sd, sd)} for sd in subdivs],
        }
    with open(os.path.join(out, "index.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(f"{len(index['countries'])} countries, {index['years'][0]}–{index['years'][1]}: {out}")


if __name__ == "__main__":
    main()
