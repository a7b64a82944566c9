"""Figure 1: the reply deadline of every request, computed in bulk, against ``chinesecalendar`` per request.

gongkai: ``rules.deadlines.reply_dues`` over the N (receipt date, events) pairs of the year, which
counts the requests whose history cannot move the clock in one vectorised pass and replays the
others (corrections, consultations, fees, extensions) as ``schedule`` does. Each run starts from a
fresh calendar (nothing counted or cached yet); modules loaded on first use are loaded before timing.

Baseline: ``chinese_calendar.find_workday(20, receipt)`` for each request, which knows nothing of
pauses or extensions and walks day by day (about half a millisecond a call). Timing it for a
million requests would take ten minutes a run, so it is timed on a fixed sample of requests spread
over the year and scaled to N; the output says so. On the sample's plain requests (no event that
moves the clock) both must give the same day, which is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from benchmarks.data import Story
from benchmarks.measure import Figure, Target, median, timed
from rules.calendar import WorkCalendar
from rules.deadlines import Periods, reply_dues

SAMPLE = 20_000
TARGET = Target("≥ 100× faster", 100, "at_least")
PLAIN = {"decide", "withdraw"}


def measure(stories: Sequence[Story], fresh: Callable[[], WorkCalendar], periods: Periods, runs: int) -> Figure:
    """``fresh`` gives a new calendar: each run starts with nothing counted yet."""
    from chinese_calendar import find_workday

    pairs = [(s.received_on, s.events()) for s in stories]
    step = max(1, len(pairs) // SAMPLE)
    sample = pairs[::step][:SAMPLE]
    scale = len(pairs) / len(sample)
    reply_dues(pairs[-1000:], fresh(), periods)  # modules loaded on first use (numpy, holidays) not timed
    ours: list[float] = []
    theirs: list[float] = []
    dues = []
    baseline = []
    for _ in range(runs):
        cal = fresh()
        seconds, dues = timed(partial(reply_dues, pairs, cal, periods))
        ours.append(seconds)
        seconds, baseline = timed(lambda: [find_workday(periods.reply, received) for received, _ in sample])
        theirs.append(seconds * scale)
    plain = [i for i, (_, events) in enumerate(sample) if all(e.action in PLAIN for e in events)]
    agree = sum(1 for i in plain if (d := dues[i * step]) is not None and d.date == baseline[i])
    g, b = median(ours), median(theirs)
    moved = sum(1 for _, events in pairs if not all(e.action in PLAIN for e in events))
    note = (f"baseline timed on {len(sample):,} requests and scaled ×{scale:,.1f}; "
            f"{moved:,} histories move the clock; plain sample agrees {agree:,}/{len(plain):,}")
    return Figure("due-dates", f"reply deadline of {len(pairs):,} requests", g, b, b / g, "× faster", TARGET,
                  TARGET.met(b / g) and agree == len(plain), note,
                  {"requests": len(pairs), "sample": len(sample), "scale": scale, "clock_moved": moved,
                   "plain_agree": agree, "plain_in_sample": len(plain)},
                  {"gongkai": ours, "baseline_scaled": theirs})
