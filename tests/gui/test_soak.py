"""A short soak (the 10,000-cycle one is in the performance harness): nothing grows, nothing warns."""

from __future__ import annotations

from benchmarks.soak import run_soak


def test_fifty_visits_leave_no_objects_no_warnings_and_no_lost_references(qapp, real_db) -> None:
    figures = run_soak(real_db, cycles=60, warm=10)
    assert figures.warnings == []
    assert figures.objects_growth <= 0, f"{figures.objects_growth} live Qt objects more after 50 cycles"
    assert figures.rss_growth < 30e6, f"{figures.rss_growth / 1e6:.1f} MB more after 50 cycles"
    # A binding that drops references to True or None (PySide6 6.12.0 did) aborts Python after a few
    # thousand calls; an extra reference (6.11.3 keeps some to None) is harmless: None is never freed.
    assert figures.true_drift > -50 and figures.none_drift > -50, (figures.true_drift, figures.none_drift)
