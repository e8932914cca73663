"""The query-count check every list page has: a page's cost grows with what it shows, never with
the rows behind it (STYLE.md, "Scale").

    def test_credit_list_query_count_does_not_grow_with_credits(member_client, member):
        make_credit(member, make_work(title="First"))
        assert_page_queries_constant(member_client, reverse("members:credit_list"), add_more_credits)

A page whose count does grow keeps its test, marked `xfail(strict=True)` with the reason, until
the page is fixed.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape


def _shape(sql: str) -> str:
    """The query without its values, so the same query for another row counts as the same."""
    return re.sub(r"\b\d+\b", "?", re.sub(r"'(?:[^']|'')*'", "?", sql))


def _get(client, url: str, data: dict | None) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}, not 200"
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def assert_page_queries_constant(
    client, url: str, add_rows: Callable[[], Iterable[str]], *, data: dict | None = None
) -> int:
    """GET the page and count its queries; add more rows of what it lists; GET it again and
    check that it shows the new rows and took exactly as many queries. Returns the count.

    `add_rows` adds the rows and returns, for each, a text that shows it on the page (a title, a
    claim number): none of them may be on the page before, all of them must be after. Create at
    least one row of every kind the page lists before calling, so a query the first row of a kind
    brings (a prefetch) is counted both times. A first, uncounted GET fills whatever a process
    caches once (content types, the site), which is no cost of the rows.
    """
    _get(client, url, data)
    before_page, before = _get(client, url, data)
    shown = [str(text) for text in add_rows()]
    assert shown, "add_rows must return, for each row it adds, a text that shows it on the page"
    already = [text for text in shown if escape(text) in before_page]
    assert not already, f"{url} showed {already} before the rows were added: pick texts only the new rows have"
    after_page, after = _get(client, url, data)
    missing = [text for text in shown if escape(text) not in after_page]
    assert not missing, f"{url} does not show the rows added: {missing}"
    if len(after) != len(before):
        grown = Counter(map(_shape, after)) - Counter(map(_shape, before))
        detail = "\n".join(f"  {count} more x {sql[:300]}" for sql, count in grown.most_common(5))
        raise AssertionError(
            f"{url}: {len(before)} queries, then {len(after)} after adding {len(shown)} rows.\n{detail}"
        )
    return len(after)
