"""The listing as a whole: what must hold across listCalls requests, not within one page.

contract.md, invariant 10: `total` is the exact number of listed calls, so a page holds
`min(limit, max(0, total - offset))` items and consecutive pages tile the listing with no gap
and no overlap. Pages of a live server shift while a run goes (a new call arrives at the
head); the suite judges only pages fetched back to back that agree on `total`, and fetches a
mismatch again once before it fails (suite/probes.py), so a moving listing is no failure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from contract_tests.checks.failures import PagesDoNotTile


def listed_ids(page: Mapping[str, Any]) -> list[Any]:
    calls = page.get("calls")
    if not isinstance(calls, list):
        return []
    return [call.get("id") if isinstance(call, Mapping) else None for call in calls]


def pages_tile_the_listing(
    window: Mapping[str, Any],
    first: Mapping[str, Any],
    second: Mapping[str, Any],
    offset: int,
    limit: int,
) -> None:
    """Invariant 10: consecutive pages tile the listing with no gap and no overlap: the page
    at `offset` (limit L) followed by the page at `offset + L` is the page at `offset` with
    limit 2L. Judged on pages fetched back to back that agree on `total`, and fetched again
    once before a mismatch fails, so a listing that moves during the run is no failure."""
    whole, one, two = listed_ids(window), listed_ids(first), listed_ids(second)
    if one + two == whole:
        return
    both = sorted(set(one) & set(two), key=str)
    neither = [call_id for call_id in whole if call_id not in one and call_id not in two]
    problems, kinds = [], []
    if both:
        problems.append(f"calls {both} are on both pages")
        kinds.append("overlap")
    if neither:
        problems.append(f"calls {neither} are on neither")
        kinds.append("gap")
    if not problems:
        problems.append(f"the two pages list {one + two}, the whole window {whole}")
        kinds.append("order")
    raise PagesDoNotTile(
        f"the pages at offset {offset} and {offset + limit} (limit {limit}) do "
        f"not tile the listing: {'; '.join(problems)}",
        field="offset",
        kind=" and ".join(kinds),
    )


def same_total(pages: Sequence[Mapping[str, Any]]) -> bool:
    """Whether every page reports one `total` (the listing did not move between them)."""
    totals = {page.get("total") for page in pages}
    return len(totals) == 1 and isinstance(next(iter(totals)), int)
