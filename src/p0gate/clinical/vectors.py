"""Reference response vectors for app teams (``p0gate vectors phq9|gad7``).

An app team scores the same answers with its own code and ships the CSV back as an
``assessment-scores`` artifact. By default the vectors hit every band edge and, for PHQ-9,
every item-9 value at each edge; ``exhaustive`` lists every answer vector (4^9 or 4^7).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator

from p0gate.clinical.instruments import MAX_ANSWER, Instrument
from p0gate.clinical.scoring import score

Vector = tuple[int, ...]


def header(instrument: Instrument) -> list[str]:
    items = [f"item{i}" for i in range(1, instrument.items + 1)]
    flag = ["crisis_flag"] if instrument.crisis_item else []
    return ["response_id", "instrument", *items, "total", "band", *flag]


def edge_vectors(instrument: Instrument) -> Iterator[tuple[str, Vector]]:
    """One vector per (band edge, crisis-item value) that can reach that total."""
    edges = sorted({t for b in instrument.bands for t in (b.low, b.high)})
    crisis_values = range(MAX_ANSWER + 1) if instrument.crisis_item else [None]
    for total in edges:
        for value in crisis_values:
            vector = _spread(instrument, total, value)
            if vector is not None:
                suffix = "" if value is None else f"-i{instrument.crisis_item}{value}"
                yield f"{instrument.name}-t{total:02d}{suffix}", vector


def edge_cases(instrument: Instrument) -> list[tuple[int, int | None]]:
    """What the default vectors cover: (total, crisis-item value) per vector (value None for
    an instrument without a crisis item). The assessment-accuracy check requires them all."""
    cases = []
    for _, vector in edge_vectors(instrument):
        item = instrument.crisis_item
        cases.append((sum(vector), None if item is None else vector[item - 1]))
    return cases


def _spread(instrument: Instrument, total: int, fixed: int | None) -> Vector | None:
    """Answers summing to ``total`` spread evenly, with the crisis item set to ``fixed``."""
    free = instrument.items - (0 if fixed is None else 1)
    rest = total - (fixed or 0)
    if not 0 <= rest <= free * MAX_ANSWER:
        return None
    base, extra = divmod(rest, free)
    answers = [base + (1 if i < extra else 0) for i in range(free)]
    if fixed is not None and instrument.crisis_item is not None:
        answers.insert(instrument.crisis_item - 1, fixed)
    return tuple(answers)


def all_vectors(instrument: Instrument) -> Iterator[tuple[str, Vector]]:
    width = instrument.items
    for vector in itertools.product(range(MAX_ANSWER + 1), repeat=width):
        yield f"{instrument.name}-" + "".join(map(str, vector)), vector


def vectors_csv(instrument: Instrument, *, exhaustive: bool = False) -> str:
    """The assessment-scores CSV with p0gate's reference total, band and crisis flag."""
    out = io.StringIO()
    out.write(",".join(header(instrument)) + "\n")
    rows = all_vectors(instrument) if exhaustive else edge_vectors(instrument)
    for response_id, vector in rows:
        ref = score(instrument, vector)
        cells = [response_id, instrument.name, *map(str, vector), str(ref.total), str(ref.band)]
        if instrument.crisis_item:
            cells.append("true" if ref.crisis_flag else "false")
        out.write(",".join(cells) + "\n")
    return out.getvalue()
