"""French everywhere a person looks (issue 12 item 6): every page reachable from the dashboard
and the case pages of the demo portfolio, crawled as every role, shows no raw key, no `None`,
no English unit word and no unformatted amount; error pages are French too."""

from __future__ import annotations

import asyncio
import html
import os
import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlsplit

import pytest

from casefile.definitions import engine

PASSWORD = "demo"
ROLES = {
    "admin": "admin",
    "avocat": "avocat",
    "credit_manager": "credit_manager",
    "commissaire": "commissaire_de_justice",
    "lecteur": "lecteur",
}
HTML = {"accept": "text/html"}
# Downloads, API and actions are not pages.
SKIP = re.compile(r"^/(api|static|schema|source|feeds|logout)|\.(ics|zip|csv|docx|pdf)(\?|$)")
AUDIT = "/audit"
MAX_PAGES = 80  # per role: the dashboard, lists, agenda, simulator, audit and every case page


def _raw_keys() -> set[str]:
    """Identifiers a person must never read: the definitions' keys written with an underscore
    (tribunal_de_commerce, ordonnance_signifiee…) and the unaccented actor keys."""
    keys: set[str] = {"debiteur", "creancier"}
    for key, procedure in engine().procedures.items():
        keys.add(key)
        keys.update(procedure.courts)
        keys.update(procedure.events)
        keys.update(rule.key for rule in procedure.deadlines)
        keys.update(rule.actor for rule in procedure.deadlines)
    return {k for k in keys if "_" in k or k in ("debiteur", "creancier")}


RAW_KEYS = _raw_keys()
# A demo login, shown as its owner typed it; the query parameter a refused address names.
ALLOWED_IDENTIFIERS = frozenset({"credit_manager", "as_of"})
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
"""Any identifier with an underscore (a choice value such as 'non_commercant', a field name),
beyond the definitions' keys."""
ENGLISH_VALUES = re.compile(
    r"\b(?:pending|missed|moot|uncertain|open|closed|archived|suspended|paid_late|full name|"
    r"token|failed|queued|running)\b"
)
PROBLEMS = (
    (re.compile(r"\bNone\b"), "None"),
    (re.compile(r"\b\d+\s+(?:days?|months?|years?|weeks?)\b"), "English unit"),
    (re.compile(r"\b\d+\.\d{2}\s*(?:€|EUR)"), "unformatted amount"),
    (re.compile(r"\bnull\b|\bTrue\b|\bFalse\b"), "Python/JSON value"),
    (re.compile(r"\{'|': '|UNIQUE constraint|Traceback"), "internals"),
    (re.compile(r"\b(?:Not Found|Method Not Allowed|Internal Server Error)\b"), "English error"),
    # An ISO date a person reads; not the format's example ("ex. 2026-11-30") nor the echo of
    # what they typed (« 2026-13-40 »).
    (re.compile(r"(?<![\w/.-])(?<!« )(?<!ex\. )\d{4}-\d{2}-\d{2}(?![\w/.:-])(?! »)"), "ISO date"),
    (
        re.compile(
            r"\b(?:must be|is not|is required|does not|cannot|unknown \w+|not found|"
            r"is before|is after|already)\b",
            re.IGNORECASE,
        ),
        "English message",
    ),
)
KEY_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, RAW_KEYS), key=len)[::-1]) + r")\b"
)


def visible_text(page: str) -> str:
    """What a person reads: no tags, attributes, scripts, or code samples (instructions to an
    administrator may quote a parameter key in <code>)."""
    page = re.sub(r"<(script|style|code)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<option\b[^>]*>", "<option>", page)
    page = re.sub(r"<[^>]+>", " ", page)
    page = re.sub(r"\S+@\S+", " ", html.unescape(page))  # e-mail addresses are not words
    return " ".join(page.split())


def problems_of(text: str) -> list[str]:
    found = [
        f"{what}: {m.group(0)!r}" for pattern, what in PROBLEMS for m in pattern.finditer(text)
    ]
    found += [f"raw key: {m.group(0)!r}" for m in KEY_PATTERN.finditer(text)]
    found += [
        f"identifier: {m.group(0)!r}"
        for m in SNAKE_CASE.finditer(text)
        if m.group(0) not in ALLOWED_IDENTIFIERS and m.group(0) not in RAW_KEYS
    ]
    found += [f"English value: {m.group(0)!r}" for m in ENGLISH_VALUES.finditer(text)]
    return found


def test_the_checks_catch_what_the_issue_quotes() -> None:
    for bad in (
        "None (67)",
        "tribunal_de_commerce",
        "Qui agit : debiteur",
        "Délai : 1 month",
        "4080.00 €",
        "UNIQUE constraint failed: cases.reference",
        "Not Found",
        "Échéance : 2026-03-01",
        "invoice 'F-12' is not in the statement",
        "paid 5000.00 must be between 0 and amount_ttc",
        "commercant non_commercant particulier",
        "statut — open",
        "token — non full name — Marc",
    ):
        assert problems_of(bad), bad
    assert problems_of("Délai : 1 mois — 4 080,00 € — tribunal de commerce — débiteur") == []
    assert problems_of("Échéance : 1er mars 2026 (lundi), référence STR-2026-03-01-A") == []
    assert (
        problems_of("as_of : « 2026-13-40 » n'est pas une date (AAAA-MM-JJ, ex. 2026-11-30)") == []
    )


async def _prepare(url: str, today: date) -> None:
    from casefile.store import db, users
    from casefile.store.demo import load_demo

    await db.connect(url)
    try:
        await db.migrate()
        await load_demo(today=today)
        await users.create_user("lecteur", "lecteur", password=PASSWORD)
    finally:
        await db.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from litestar.testing import TestClient

    from casefile.settings import reset_settings

    var = tmp_path_factory.mktemp("crawl")
    keys = ("CASEFILE_DATABASE_URL", "CASEFILE_VAR_DIR", "CASEFILE_EVIDENCE_URL")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ["CASEFILE_VAR_DIR"] = str(var)
    os.environ["CASEFILE_DATABASE_URL"] = f"sqlite:///{var}/crawl.db"
    os.environ["CASEFILE_EVIDENCE_URL"] = f"file://{var}/evidence"
    reset_settings()
    asyncio.run(_prepare(os.environ["CASEFILE_DATABASE_URL"], date.today()))
    from casefile.api.app import create_app

    try:
        with TestClient(create_app(), base_url="http://crawl.local") as test_client:
            yield test_client
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


def _login(client: object, name: str) -> None:
    client.cookies.clear()  # type: ignore[attr-defined]
    form = client.get("/login", headers=HTML).text  # type: ignore[attr-defined]
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form)
    assert token
    response = client.post(  # type: ignore[attr-defined]
        "/login",
        data={"name": name, "password": PASSWORD, "_csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def _links(page: str) -> list[str]:
    out = []
    for href in re.findall(r'href="([^"#]+)', page):
        href = html.unescape(href)
        if href.startswith("/") and not href.startswith("//") and not SKIP.search(href):
            out.append(href)
    return out


@pytest.mark.parametrize("name", list(ROLES))
def test_every_page_is_french_for_every_role(client: object, name: str) -> None:
    _login(client, name)
    seen_paths: set[str] = set()
    queue = ["/", "/dossiers", "/agenda"]
    visited: list[str] = []
    failures: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen_paths:
            continue
        seen_paths.add(path)
        response = client.get(url, headers=HTML)  # type: ignore[attr-defined]
        visited.append(url)
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        failures += [f"{url}: {p}" for p in problems_of(visible_text(response.text))]
        queue += _links(response.text)
    case_pages = [u for u in visited if re.fullmatch(r"/dossiers/\d+", u)]
    assert len(case_pages) >= (1 if ROLES[name] == "commissaire_de_justice" else 25), visited
    assert failures == [], "\n".join(failures[:40])


def test_error_pages_are_french(client: object) -> None:
    _login(client, "avocat")
    missing = client.get("/nulle-part", headers=HTML)  # type: ignore[attr-defined]
    assert missing.status_code == 404
    assert "page ou ressource introuvable" in missing.text
    assert problems_of(visible_text(missing.text)) == []
    absent_case = client.get("/dossiers/999999", headers=HTML)  # type: ignore[attr-defined]
    assert absent_case.status_code == 404
    assert problems_of(visible_text(absent_case.text)) == []
    wrong_method = client.put("/dossiers", headers=HTML)  # type: ignore[attr-defined]
    assert wrong_method.status_code == 405
    assert "méthode HTTP non autorisée" in wrong_method.text


def test_the_dashboard_names_lawyers_as_the_case_list_does(client: object) -> None:
    """ "Par avocat" named the login ("avocat") and "non attribué" where the case list says
    "Maître Claire Lefèvre" and "non désigné"."""
    _login(client, "admin")
    page = client.get("/", headers=HTML).text  # type: ignore[attr-defined]
    section = page[page.index('aria-labelledby="h-lawyer"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html.unescape(section))
    assert rows == ["Maître Claire Lefèvre", "non désigné"]


@pytest.mark.parametrize("path", ["/rapports/balance-agee", "/rapports/dso"])
def test_the_reports_lawyer_filter_names_people(client: object, path: str) -> None:
    _login(client, "admin")
    page = html.unescape(client.get(path, headers=HTML).text)  # type: ignore[attr-defined]
    select = page[
        page.index('<select id="rf-lawyer"') : page.index("</select>", page.index('id="rf-lawyer"'))
    ]
    assert re.findall(r"<option [^>]*>([^<]+)</option>", select) == [
        "tous",
        "non désigné",
        "Maître Claire Lefèvre",
    ]


def test_the_aged_balance_by_lawyer_names_people_on_the_page_and_in_its_csv(client: object) -> None:
    _login(client, "admin")
    page = html.unescape(
        client.get("/rapports/balance-agee/groupes?by=lawyer", headers=HTML).text  # type: ignore[attr-defined]
    )
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', page)
    assert rows == ["Maître Claire Lefèvre", "Sans avocat"]
    csv = client.get("/rapports/balance-agee/groupes.csv?by=lawyer").text  # type: ignore[attr-defined]
    assert [line.split(";")[0] for line in csv.splitlines()[1:3]] == [
        "Maître Claire Lefèvre",
        "Sans avocat",
    ]


def test_the_audit_page_is_french(client: object) -> None:
    _login(client, "admin")
    page = client.get(AUDIT, headers=HTML)  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert problems_of(visible_text(page.text)) == []


def test_a_refused_page_says_what_the_role_may_not_do(client: object) -> None:
    """The 403 read « le rôle commissaire_de_justice ne permet pas cette action (audit.read) »."""
    _login(client, "commissaire")
    refused = client.get(AUDIT, headers=HTML)  # type: ignore[attr-defined]
    assert refused.status_code == 403
    text = visible_text(refused.text)
    assert (
        "le rôle « commissaire de justice » ne permet pas de consulter le journal d'audit" in text
    )
    assert problems_of(text) == [] and "audit.read" not in text
    _login(client, "lecteur")
    refused = client.get("/admin/taches/", headers=HTML)  # type: ignore[attr-defined]
    assert refused.status_code == 403
    assert "le rôle « lecteur » ne permet pas de consulter les tâches de fond" in visible_text(
        refused.text
    )


def test_the_simulator_answers_in_french_for_every_procedure(client: object) -> None:
    """Every event of each procedure dated (some in an impossible order, so the engine warns),
    a claim above the small-claims ceiling, a court in Alsace-Moselle: the result, its warnings
    and its notes show no key, ISO date or raw amount."""
    _login(client, "avocat")
    form = client.get("/simulateur", headers=HTML).text  # type: ignore[attr-defined]
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form)
    assert token
    failures: list[str] = []
    for key, procedure in engine().procedures.items():
        data = {
            "_csrf_token": token.group(1),
            "court_department": "57",
            "claim_total": "6000.50",
            "debtor_residence": "971",
        }
        if procedure.courts:
            data["court"] = procedure.courts[0]
        for n, event in enumerate(procedure.events.values()):
            data[f"{event.key}__date"] = date(2026, 3, 2 + 2 * n).isoformat()
            for attribute in (event.attributes or {}).values():
                if attribute.type == "bool":
                    data[f"{event.key}__{attribute.key}"] = "true"
                elif attribute.type == "choice":
                    data[f"{event.key}__{attribute.key}"] = attribute.choices[-1]
        answer = client.post(  # type: ignore[attr-defined]
            f"/simulateur?procedure={key}", data=data, headers=HTML
        )
        text = visible_text(answer.text)
        shown = text[text.find("Calculer") :]
        if answer.status_code >= 500 or ("Délais (" not in shown and "alert" not in answer.text):
            failures.append(f"{key}: {answer.status_code} {shown[:300]}")
        failures += [f"{key}: {p}" for p in problems_of(shown)]
    assert failures == [], "\n".join(failures)
