#!/usr/bin/env python3
"""Compare domain/data/calendar.yaml with the PyPI package `chinesecalendar`, day by day.

Usage: pip install chinesecalendar==1.11.0 pyyaml && python3 scripts/check-calendar.py
Exits non-zero and lists every day on which the two disagree about being a working day.
"""
import datetime
import pathlib
import sys

import chinese_calendar
import yaml

root = pathlib.Path(__file__).resolve().parent.parent
data = yaml.safe_load((root / "domain/data/calendar.yaml").read_text(encoding="utf-8"))


def days(entries):
    for entry in entries:
        text = str(entry)
        start, _, end = text.partition("..")
        first = datetime.date.fromisoformat(start)
        last = datetime.date.fromisoformat(end) if end else first
        while first <= last:
            yield first
            first += datetime.timedelta(days=1)


problems = []
checked = 0
for year, schedule in sorted(data.items()):
    holidays = set(days(schedule.get("holidays", [])))
    workdays = set(days(schedule.get("workdays", [])))
    day = datetime.date(year, 1, 1)
    while day.year == year:
        ours = day in workdays or (day.weekday() < 5 and day not in holidays)
        theirs = chinese_calendar.is_workday(day)
        if ours != theirs:
            problems.append(f"{day}: ours {'working' if ours else 'off'}, chinesecalendar {'working' if theirs else 'off'}")
        checked += 1
        day += datetime.timedelta(days=1)

for p in problems:
    print(p)
print(f"calendar cross-check: {checked} days of {min(data)}–{max(data)} compared, {len(problems)} disagreements")
sys.exit(1 if problems else 0)
