"""The stylesheet keeps every page within the window: the interest computations of the
statement (`<p class="trace">`, lines of 150 characters) were laid out in a max-content grid
column meant for a deadline's `<dl class="trace">`, never wrapped and ran 170 px past a
1280 px window, cut off mid-sentence on the case page. The footer sits in the same column as
the page."""

from __future__ import annotations

import re
from pathlib import Path

import casefile.api.web

CSS = (Path(casefile.api.web.__file__).parent / "static" / "casefile.css").read_text("utf-8")


def rules() -> dict[str, str]:
    body = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)
    found: dict[str, str] = {}
    for selectors, block in re.findall(r"([^{}]+)\{([^}]*)\}", body):
        for selector in selectors.split(","):
            found[selector.strip()] = found.get(selector.strip(), "") + block
    return found


def test_only_a_definition_list_trace_is_a_grid() -> None:
    css = rules()
    assert "grid" not in css[".trace"]
    assert "display: grid" in css["dl.trace"]
    assert "max-content" in css["dl.trace"]
    assert "overflow-wrap: anywhere" in css[".trace"]


def test_the_footer_shares_the_page_column() -> None:
    css = rules()
    assert "max-width: 72rem" in css["main"] and "max-width: 72rem" in css["footer"]
    assert "margin: 0 auto" in css["footer"]


def test_a_case_reference_or_a_date_in_a_table_is_never_split() -> None:
    """ "DEMO-\n015" on the dashboard's narrow column: a reference is read whole, and so is a
    date alone in its cell ("25 juillet\n2026")."""
    assert "white-space: nowrap" in rules()['td > a[href^="/dossiers/"]:only-child']
    assert "white-space: nowrap" in rules()["td > time:only-child"]
