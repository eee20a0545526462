"""What the search box finds: the tasks whose text, category, units, this
unit's division or live records contain every word typed (a plain substring,
case as typed; words are cut at whitespace).

The store gives each task's searchable text once (db.store.search_texts: its
fields joined by newlines, which no word can hold, so a word never matches
across two fields); matching is then a substring test over ~50 strings —
well under a millisecond over 10,000 records, on whichever thread holds them.
"""

from __future__ import annotations

from collections.abc import Iterable

# (task id, task number, the task's searchable text)
SearchTexts = list[tuple[str, int, str]]


def terms_of(query: str) -> list[str]:
    return query.split()


def numbers_matching(texts: Iterable[tuple[str, int, str]], terms: list[str]) -> list[int]:
    """Task numbers, in plan order, whose text holds every term ([] for no terms)."""
    if not terms:
        return []
    return [number for _tid, number, text in texts if all(term in text for term in terms)]
