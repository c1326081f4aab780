"""`make bench-scale` (bench/scale.py) picks documents of distinct sizes and fits its line right; nothing timed."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from .conftest import ROOT

# bench/ is no package: its scale.py is loaded by path, under a name of its own (registered, as its
# dataclasses need their module).
_spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
assert _spec is not None and _spec.loader is not None
scale = importlib.util.module_from_spec(_spec)
sys.modules["bench_scale"] = scale
_spec.loader.exec_module(scale)


def _corpus(counts: list[int]) -> list[object]:
    return [scale.Candidate(f"c{i}", n, 1.0 + i) for i, n in enumerate(counts)]


def test_the_picker_spans_1_to_the_largest_with_distinct_counts() -> None:
    # many small connectors, few large ones, as the certified corpus has them
    counts = [1] * 50 + [2] * 40 + [3] * 30 + list(range(4, 60)) * 2 + [80, 95, 130, 220]
    picks = scale.pick(_corpus(counts), 8)
    first = [tries[0].operations for tries in picks]
    assert len(first) == 8
    assert len(set(first)) == 8
    assert first[0] == 1 and first[-1] == 220
    assert first == sorted(first)
    for tries in picks:  # the fall-backs are other connectors, nearest first
        assert len({c.name for c in tries}) == len(tries)


def test_the_picker_never_repeats_a_count_when_counts_are_few() -> None:
    picks = scale.pick(_corpus([1, 1, 2, 2, 3, 0]), 8)
    first = [tries[0].operations for tries in picks]
    assert sorted(first) == [1, 2, 3]  # three counts, three picks; the connector of 0 operations is never one


def test_the_picker_takes_the_median_sized_connector_of_a_count() -> None:
    candidates = [scale.Candidate(name, 1, kb) for name, kb in (("small", 1.0), ("middle", 5.0), ("big", 90.0))]
    assert scale.pick(candidates, 2)[0][0].name == "middle"


def test_the_fit_is_exact_on_a_known_line() -> None:
    line = scale.fit([(x, 0.3 + 0.02 * x) for x in (1, 2, 5, 10, 22, 47, 101, 219, 1123)])
    assert line.slope == pytest.approx(0.02)
    assert line.intercept == pytest.approx(0.3)
    assert line.r2 == pytest.approx(1.0)
    assert line.predict(500) == pytest.approx(10.3)


def test_the_fit_of_a_noisy_line() -> None:
    # y = 2x + 1 with residuals +1, -1, -1, +1: slope 2 and intercept 1 (symmetric noise), R² = 1 - 4/SStot
    points = [(0.0, 2.0), (1.0, 2.0), (2.0, 4.0), (3.0, 8.0)]
    line = scale.fit(points)
    assert line.slope == pytest.approx(2.0)
    assert line.intercept == pytest.approx(1.0)
    mean = sum(y for _, y in points) / 4
    assert line.r2 == pytest.approx(1 - 4 / sum((y - mean) ** 2 for _, y in points))


def test_a_line_needs_two_distinct_x() -> None:
    with pytest.raises(ValueError):
        scale.fit([(1.0, 2.0)])
    with pytest.raises(ValueError):
        scale.fit([(1.0, 2.0), (1.0, 3.0)])


def test_the_report_names_the_fit_and_the_worst_ratio() -> None:
    rows = [scale.Row(f"d{n}", n, 10.0 * n + (5 if n == 100 else 0), 0.3 + 0.01 * n) for n in (1, 10, 100, 1000)]
    report = scale.render(rows)
    assert "| d1 | 1 | 10 | 0.31 | 31.00 | 1.00 | " in report
    assert "seconds on operations: 1.0000 s per 100 operations, intercept 0.30 s, R² 1.0000" in report


def test_the_exponent_of_a_power_law_above_a_floor() -> None:
    linear = scale.exponent([(x, 0.4 + 0.01 * x) for x in (10, 50, 200, 1000)], 0.4)
    assert linear.slope == pytest.approx(1.0)
    square = scale.exponent([(x, 0.4 + 0.001 * x * x) for x in (10, 50, 200, 1000)], 0.4)
    assert square.slope == pytest.approx(2.0)
    rows = [scale.Row("start-up", 1, 1, 0.3), scale.Row("slower", 2, 2, 0.35)]
    rows += [scale.Row(f"d{n}", n, n, 0.3 + 0.01 * n) for n in (10, 100, 1000)]
    assert "(0.30 s, start-up) ≈ a·operations^b over the 3 documents of ≥ 10 operations: b = 1.00" in scale.render(rows)
