"""Benchmarks at province scale: is gongkai fast where it matters? (issue 7)

``python -m benchmarks [--requests N] [--runs R] [--only NAME]`` generates a province's year of
requests (``data``), imports it (``imports``, figure 3), and measures each figure against a baseline
timed in the same run: reply deadlines in bulk (``due_dates``, 1), the year-end report
(``report``, 2), ``gongkai due`` and ``gongkai --help`` start-up (``startup``, 4 and 5), the alert
sweep (``alerts``, 6) and one ``advance`` (``advance``, 7). Targets are ratios, not absolute times. Results of a full run, with the
machine, are in ``benchmarks/RESULTS.md``.
"""
