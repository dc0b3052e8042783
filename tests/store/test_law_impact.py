"""The impact of a change of the law data on pending cases (issue 10 item 6), on SQLite and
PostgreSQL: a rule, a calendar and a parameter changed in a proposed copy of the data; the
cases they move are listed with before/after and the rule; applying the change once the data is
in service recomputes them, records the reason in each case's history, and the case feed
publishes the moved date with SEQUENCE + 1."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from casefile import definitions
from casefile.errors import Forbidden, InputError
from casefile.services import cases, law_impact
from casefile.services.audit import trail
from casefile.services.cases import NewCase, create_case
from casefile.services.parties import PartyIn
from casefile.store import audit, calendars
from casefile.store.cases import InvoiceIn
from casefile.store.permissions import User
from casefile.store.users import SYSTEM
from tests.ical.checks import events, parse
from tests.store.conftest import Store
from tests.store.helpers import deadline_uid

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 30)


def law_copy(target: Path) -> Path:
    for folder in ("procedures", "calendars", "document_templates"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def proposed(tmp_path: Path) -> Path:
    """The law data with three changes: CPC 857 at ten days, Good Friday no longer counted in
    Alsace-Moselle, the L441-10 margin at 12 points."""
    root = law_copy(tmp_path / "proposed")
    edit(
        root / "procedures" / "assignation_paiement.toml",
        'period = "-8 days"',
        'period = "-10 days"',
    )
    edit(
        root / "calendars" / "territories.toml",
        'counted = ["Vendredi saint", "Saint-Étienne"]',
        'counted = ["Saint-Étienne"]',
    )
    edit(root / "procedures" / "parameters.toml", 'value = "10.00"', 'value = "12.00"')
    return root


@pytest.fixture
def in_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Put a folder of law data in service for this test (the engine is cached per process)."""

    def switch(root: Path) -> None:
        monkeypatch.setenv("CASEFILE_DATA_DIR", str(root))
        definitions.engine.cache_clear()
        definitions.parameters.cache_clear()

    yield switch
    monkeypatch.delenv("CASEFILE_DATA_DIR", raising=False)
    definitions.engine.cache_clear()
    definitions.parameters.cache_clear()


def _case(
    store: Store, reference: str, procedure: str, department: str, court: str | None = None
) -> int:
    created = store.run(
        create_case(
            NewCase(
                reference=reference,
                procedure=procedure,
                court=court,
                court_department=department,
                creditor=PartyIn(name="Brasserie de l'Ill SAS", siren="732829320"),
                debtor=PartyIn(name="Winstub Muller SARL"),
            ),
            SYSTEM,
        )
    )
    return int(created["id"])


def _portfolio(store: Store) -> dict[str, int]:
    tc = _case(store, "TC-1", "assignation_paiement", "75", "tribunal_de_commerce")
    store.run(cases.add_event(tc, "audience", date(2027, 1, 20), {}, SYSTEM))
    metz = _case(store, "IP-METZ", "injonction_de_payer", "57")
    store.run(cases.add_event(metz, "ordonnance_rendue", date(2027, 2, 1), {}, SYSTEM))
    store.run(
        cases.add_event(
            metz, "ordonnance_signifiee", date(2027, 2, 26), {"a_personne": True}, SYSTEM
        )
    )
    lyon = _case(store, "IP-LYON", "injonction_de_payer", "69")
    store.run(cases.add_event(lyon, "ordonnance_rendue", date(2027, 2, 1), {}, SYSTEM))
    claim = _case(store, "AM-1", "amiable", "75")
    store.run(
        cases.add_claim(
            claim,
            InvoiceIn("F-1", date(2025, 12, 1), date(2026, 1, 15), Decimal("10000.00")),
            SYSTEM,
        )
    )
    return {"tc": tc, "metz": metz, "lyon": lyon, "claim": claim}


def test_the_data_changes_name_the_file_the_rule_and_the_values(proposed: Path) -> None:
    changes = law_impact.data_changes(
        law_impact.law_in_service(), law_impact.proposed_law(str(proposed))
    )
    found = {(c.file, c.where, c.change) for c in changes}
    assert (
        "procedures/assignation_paiement.toml",
        "délai remise_au_greffe [tribunal_de_commerce] — CPC art. 857",
        "period: -8 days → -10 days",
    ) in found
    assert (
        "calendars/territories.toml",
        "territoire alsace-moselle",
        "counted: ['Vendredi saint', 'Saint-Étienne'] → ['Saint-Étienne']",
    ) in found
    assert (
        "procedures/parameters.toml",
        "penalites_retard_majoration valeur du 2013-01-01",
        "value: 10.00 → 12.00",
    ) in found
    assert len(changes) == 3


def test_impact_lists_each_moved_deadline_and_amount_with_the_rule(
    store: Store, proposed: Path
) -> None:
    _portfolio(store)
    # Rates are known up to the first semester of 2026 (parameters.toml): judge on 30 June.
    report = store.run(
        law_impact.impact(SYSTEM, law_impact.proposed_law(str(proposed)), date(2026, 6, 30))
    )
    assert (report.cases_examined, report.cases_affected) == (4, 3)
    by_ref = {c.reference: c for c in report.cases}
    assert "IP-LYON" not in by_ref  # Lyon counts no Good Friday: nothing moves

    [tc] = by_ref["TC-1"].deadlines
    assert (tc.key, tc.before, tc.after) == ("remise_au_greffe", "2027-01-11", "2027-01-09")
    assert tc.rule.startswith("CPC art. 857 — https://")
    assert tc.cause == "durée 8 jours avant → 10 jours avant"

    [metz] = by_ref["IP-METZ"].deadlines
    # 26 March 2027 is Good Friday, 29 March Easter Monday: without Good Friday, Friday 26.
    assert (metz.key, metz.before, metz.after) == ("opposition", "2027-03-30", "2027-03-26")
    assert metz.rule.startswith("CPC art. 1416")
    assert metz.cause.startswith(
        "jours non ouvrables du calendrier — avant : vendredi 26 mars 2027 (Vendredi saint)"
    )
    assert metz.cause.endswith(" ; après : pas de report")

    amount = by_ref["AM-1"].amount
    assert amount is not None and amount.parameters == ["penalites_retard_majoration"]
    # 10 000 € due 15 January 2026, 166 days to 30 June 2026, + 40 € (D441-5):
    # 10 000 × 12.15 % × 166 / 365 = 552.58 €, then × 14.15 % = 643.53 €.
    assert (amount.before, amount.after) == ("10592.58", "10683.53")
    assert by_ref["AM-1"].deadlines == []


def test_the_same_data_moves_nothing(store: Store) -> None:
    _portfolio(store)
    report = store.run(law_impact.impact(SYSTEM, law_impact.law_in_service(), TODAY))
    assert (report.cases_affected, report.data_changes) == (0, [])


def test_only_an_administrator_sees_or_applies_the_impact(store: Store, proposed: Path) -> None:
    lawyer = User(5, "maitre", "avocat")
    with pytest.raises(Forbidden):
        store.run(law_impact.impact(lawyer, law_impact.proposed_law(str(proposed)), TODAY))
    with pytest.raises(Forbidden):
        store.run(law_impact.apply(lawyer, "décret"))
    with pytest.raises(InputError, match="raison"):
        store.run(law_impact.apply(SYSTEM, "  "))


def test_apply_recomputes_records_the_reason_and_the_feed_bumps_sequence(
    store: Store, proposed: Path, in_service: object
) -> None:
    ids = _portfolio(store)
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    uid = deadline_uid(store, ids["tc"], "remise_au_greffe")
    first = events(parse(store.run(calendars.case_feed(ids["tc"], SYSTEM, now))))
    assert (first[uid]["start"], first[uid]["sequence"]) == (date(2027, 1, 11), 0)
    version = store.run(cases.get_case(ids["tc"], SYSTEM))["version"]

    in_service(proposed)  # type: ignore[operator]
    report = store.run(law_impact.apply(SYSTEM, "Décret fictif: art. 857 porté à dix jours", now))
    assert report.cases_recomputed == 2  # deadlines only: amounts are computed when read
    assert {c.reference for c in report.cases} == {"TC-1", "IP-METZ"}

    case = store.run(cases.get_case(ids["tc"], SYSTEM))
    stored = {d["key"]: d["due"] for d in case["deadlines"]}
    assert stored["remise_au_greffe"] == "2027-01-09"
    assert case["version"] == version + 1
    entries = [
        e
        for e in store.run(audit.list_entries(SYSTEM, entity="case"))
        if e["action"] == "law.apply" and e["entity_id"] == str(ids["tc"])
    ]
    [entry] = entries
    assert entry["after"]["reason"] == "Décret fictif: art. 857 porté à dix jours"
    [moved] = entry["after"]["changes"]["moved"]
    assert (moved["key"], moved["from"], moved["to"]) == (
        "remise_au_greffe",
        "2027-01-11",
        "2027-01-09",
    )
    assert moved["rule"].startswith("CPC art. 857") and "10 jours avant" in moved["cause"]
    [line] = [
        line for line in store.run(trail(SYSTEM, case=ids["tc"])) if line.action == "law.apply"
    ]
    assert line.sentence.endswith("(motif : Décret fictif: art. 857 porté à dix jours).")
    assert line.deadlines == [
        "délai déplacé : Remettre la copie de l'assignation au greffe (placement), "
        "du 11 janvier 2027 au 9 janvier 2027"
    ]
    [summary] = [
        e for e in store.run(audit.list_entries(SYSTEM, entity="law")) if e["action"] == "law.apply"
    ]
    assert summary["after"]["cases_recomputed"] == 2
    [readable] = store.run(trail(SYSTEM, entity="law"))
    assert readable.sentence.startswith(
        "casefile (traitement automatique) a appliqué un changement des règles de droit"
    )
    assert {c.label: c.after for c in readable.changes}["dossiers recalculés"] == "2"

    later = datetime(2026, 11, 30, 10, tzinfo=UTC)
    feed = events(parse(store.run(calendars.case_feed(ids["tc"], SYSTEM, later))))
    # Due Saturday 9 January 2027 (a backward limit, never moved); the event sits on Friday 8,
    # the last working day before it, which its note keeps (`ical.items.calendar_day`).
    assert (feed[uid]["start"], feed[uid]["sequence"]) == (date(2027, 1, 8), 1)

    again = store.run(law_impact.apply(SYSTEM, "deuxième passage", later))
    assert again.cases_recomputed == 0


def test_apply_rewrites_only_the_rows_that_differ_and_stores_what_the_engine_computes(
    store: Store, proposed: Path, in_service: object
) -> None:
    """A changed case keeps the stored rows of its unchanged deadlines (same row, same text);
    the moved one is replaced, a stored deadline the engine no longer gives is removed, and
    every stored explanation is then exactly the engine's."""
    from casefile.store import explanations
    from casefile.store.db import atomic
    from casefile.store.explanations import digest_of
    from casefile.store.plan_deadlines import plan_deadlines_many
    from casefile.store.recompute import read_inputs, with_plan
    from casefile.store.tables import DeadlineRecord
    from casefile.store.tables.deadline import explanation_column

    ids = _portfolio(store)
    tc = ids["tc"]

    def rows() -> dict[str, dict[str, object]]:
        found = store.run(
            DeadlineRecord.select(DeadlineRecord.id, DeadlineRecord.key, explanation_column())
            .where(DeadlineRecord.case == tc)
            .output(load_json=True)
        )
        return {row["key"]: row for row in found}

    before = rows()
    assert "remise_au_greffe" in before and len(before) >= 2
    withdrawn = msgspec.json.encode(  # a deadline no rule gives any more (its rule withdrawn)
        {**before["remise_au_greffe"]["explanation"], "key": "regle_retiree", "due": "2027-01-05"}
    )

    async def insert_withdrawn() -> None:
        async with atomic():
            await explanations.store({digest_of(withdrawn): withdrawn})
            await DeadlineRecord.insert(
                DeadlineRecord(
                    case=tc,
                    key="regle_retiree",
                    due=date(2027, 1, 5),
                    status="pending",
                    digest=digest_of(withdrawn),
                    updated_at=datetime.now(UTC),
                )
            )

    store.run(insert_withdrawn())
    in_service(proposed)  # type: ignore[operator]
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    report = store.run(law_impact.apply(SYSTEM, "Décret fictif", now))
    [impact] = [c for c in report.cases if c.id == tc]
    assert {m.key: (m.before, m.after) for m in impact.deadlines} == {
        "remise_au_greffe": ("2027-01-11", "2027-01-09"),
        "regle_retiree": ("2027-01-05", None),
    }

    after = rows()
    assert set(after) == set(before)
    for key, row in after.items():
        if key == "remise_au_greffe":
            assert row["id"] != before[key]["id"]
            assert row["explanation"]["due"] == "2027-01-09"
        else:
            assert (row["id"], row["explanation"]) == (
                before[key]["id"],
                before[key]["explanation"],
            )
    inputs, _ = store.run(read_inputs([tc]))
    [item] = inputs
    computed = with_plan(
        definitions.engine().compute(item.row["procedure"], item.events, item.facts),
        tc,
        store.run(plan_deadlines_many([tc])),
    )
    assert {key: row["explanation"] for key, row in after.items()} == {
        d.key: d.as_dict() for d in computed.deadlines
    }


def test_apply_computes_a_ledger_never_computed_and_leaves_a_stored_one(
    store: Store, proposed: Path, in_service: object
) -> None:
    """The recomputation writes a case's ledger columns only when they were never computed
    (`ledger_on` NULL: created by raw SQL): a stored ledger is kept by the writes of the
    claims and payments, and neither the law data nor the day changes it."""
    from casefile.store.ledger import NOTHING_DATED
    from casefile.store.tables import Case

    ids = _portfolio(store)
    store.run(  # never computed
        Case.update({Case.ledger_on: None, Case.claimed_cents: None}).where(Case.id == ids["tc"])
    )
    store.run(  # stored (a marker in place of the figure: rewritten, it would be 0)
        Case.update({Case.claimed_cents: 123}).where(Case.id == ids["metz"])
    )
    in_service(proposed)  # type: ignore[operator]
    report = store.run(
        law_impact.apply(SYSTEM, "Décret fictif", datetime(2026, 11, 30, tzinfo=UTC))
    )
    assert {ids["tc"], ids["metz"]} <= {c.id for c in report.cases}
    found = {
        row["id"]: (row["ledger_on"], row["claimed_cents"])
        for row in store.run(Case.select(Case.id, Case.ledger_on, Case.claimed_cents))
    }
    assert found[ids["tc"]] == (NOTHING_DATED, 0)
    assert found[ids["metz"]] == (NOTHING_DATED, 123)


def test_the_nightly_entry_of_a_case_with_nothing_stored_is_the_one_built_for_it(
    store: Store,
) -> None:
    """The nightly job (moves not kept) writes each case with nothing stored the history entry
    built for that case: its JSON text found by its deadlines' keys, the same text as the dict
    encoded (`sql_value`), and the cases of other keys their own."""
    from casefile.store.db import sql_value
    from casefile.store.tables import AuditEntry, DeadlineRecord

    ids = _portfolio(store)
    twin = _case(store, "IP-LYON-2", "injonction_de_payer", "69")  # IP-LYON's keys
    store.run(cases.add_event(twin, "ordonnance_rendue", date(2027, 3, 1), {}, SYSTEM))
    keys = {
        case_id: [
            row["key"]
            for row in store.run(
                DeadlineRecord.select(DeadlineRecord.key)
                .where(DeadlineRecord.case == case_id)
                .order_by(DeadlineRecord.due)
                .order_by(DeadlineRecord.key)
            )
        ]
        for case_id in [*ids.values(), twin]
        if case_id != ids["claim"]  # an amicable file before its formal notice: none
    }
    assert keys[twin] == keys[ids["lyon"]] and keys[ids["metz"]] != keys[ids["lyon"]]
    store.run(DeadlineRecord.delete(force=True))  # every case stale, nothing stored
    last = store.run(AuditEntry.select(AuditEntry.id).order_by(AuditEntry.id, ascending=False))
    report = store.run(
        law_impact.apply(
            SYSTEM,
            "recalcul nocturne du 1er décembre 2026",
            datetime(2026, 12, 1, 1, 30, tzinfo=UTC),
            keep_cases=False,
            record_summary=False,
        )
    )
    assert report.cases_recomputed == len(keys)
    written = {
        int(row["entity_id"]): row["after"]
        for row in store.run(
            AuditEntry.select(AuditEntry.entity_id, AuditEntry.after).where(
                (AuditEntry.id > last[0]["id"]) & (AuditEntry.action == "law.apply")
            )
        )
    }
    fingerprint = law_impact.law_in_service().fingerprint[:12]
    for case_id, case_keys in keys.items():
        entry = {
            "reason": "recalcul nocturne du 1er décembre 2026",
            "law_data": fingerprint,
            "changes": {"added": case_keys, "moved": [], "removed": [], "changed": []},
        }
        assert written[case_id] == sql_value(entry), case_id
        assert json.loads(written[case_id]) == entry


def test_a_git_revision_is_read_with_git_archive(tmp_path: Path) -> None:
    repo = law_copy(tmp_path / "repo")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "law")
    edit(repo / "procedures" / "refere_provision.toml", 'period = "15 days"', 'period = "1 month"')
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "appel d'un mois")
    old = law_impact.proposed_law("HEAD~1", repo)
    new = law_impact.proposed_law("HEAD", repo)
    assert old.label.startswith("révision HEAD~1 (")
    [change] = law_impact.data_changes(old, new)
    assert (change.file, change.change) == (
        "procedures/refere_provision.toml",
        "period: 15 days → 1 month",
    )
    assert old.fingerprint == law_impact.law_in_service().fingerprint
    with pytest.raises(InputError, match="ni un dossier ni une révision git"):
        law_impact.proposed_law("no-such-branch", repo)
    with pytest.raises(InputError, match="ni un dossier ni une révision git"):
        law_impact.proposed_law("--output=/tmp/x", repo)


def test_a_proposed_folder_with_a_broken_rule_is_refused_in_french(tmp_path: Path) -> None:
    root = law_copy(tmp_path / "broken")
    edit(root / "procedures" / "refere_provision.toml", 'period = "15 days"', 'period = "quinze"')
    with pytest.raises(InputError, match="données juridiques invalides"):
        law_impact.proposed_law(str(root))


def test_the_commands_print_french_text_and_json(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    proposed: Path,
    in_service: object,
) -> None:
    from casefile.cli import main
    from casefile.settings import reset_settings

    monkeypatch.setenv("CASEFILE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path / "var"))
    reset_settings()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    try:
        assert run("init")[0] == 0
        new = ("case", "new", "--reference", "TC-9", "--procedure", "assignation_paiement")
        parties = ("--creditor", "Grossiste SA", "--debtor", "Bistrot SARL")
        assert (
            run(*new, "--court", "tribunal_de_commerce", "--court-department", "75", *parties)[0]
            == 0
        )
        assert run("event", "add", "TC-9", "audience=2027-01-20")[0] == 0

        code, out, _ = run("law", "impact", "--proposed", str(proposed), "--today", "2026-11-30")
        assert code == 0
        assert "Impact d'un changement des données juridiques au lundi 30 novembre 2026" in out
        assert "examinés : 1 ; dossiers touchés : 1" in out  # French spacing (it was « 1; »)
        assert "lundi 11 janvier 2027 → samedi 9 janvier 2027" in out
        assert "règle : CPC art. 857 — https://" in out

        code, out, _ = run("law", "impact", "--proposed", str(proposed), "--format", "json")
        data = json.loads(out)
        assert data["cases_affected"] == 1
        assert data["cases"][0]["deadlines"][0]["after"] == "2027-01-09"

        code, _, err = run("law", "impact", "--proposed", str(proposed), "--apply", "--reason", "x")
        assert code == 2 and "les données en service : mettez d'abord en service" in err

        in_service(proposed)  # type: ignore[operator]
        code, out, _ = run("law", "apply", "--reason", "Décret fictif", "--format", "json")
        assert code == 0 and json.loads(out)["cases_recomputed"] == 1
        code, out, _ = run("case", "show", "TC-9", "--format", "json")
        due = {d["key"]: d["due"] for d in json.loads(out)["deadlines"]}
        assert due["remise_au_greffe"] == "2027-01-09"
        code, out, _ = run("law", "impact", "--apply", "--reason", "encore")
        assert code == 0 and " ; recalculés : 0" in out
    finally:
        reset_settings()


def test_added_moves_are_the_moves_from_nothing_stored() -> None:
    """The nightly job's shortcut for a case with nothing stored gives what the general
    comparison gives (every deadline new, its rule and cause)."""
    from casefile.definitions import engine
    from casefile.law.requests import schedule_for
    from casefile.services.law_impact import (
        added_history,
        added_moves,
        deadline_moves,
        history_changes,
    )

    schedule = schedule_for(
        engine(),
        {
            "procedure": "injonction_de_payer",
            "events": {
                "ordonnance_rendue": "2026-01-05",
                "ordonnance_signifiee": {"date": "2026-02-13", "a_personne": True},
            },
            "court_department": "67",
            "today": "2026-06-01",
        },
    )
    assert len(schedule.deadlines) >= 2
    assert added_moves(schedule.deadlines) == deadline_moves(
        {}, {d.key: d.as_dict() for d in schedule.deadlines}
    )
    assert added_history(schedule.deadlines) == history_changes(added_moves(schedule.deadlines))
    assert added_history(schedule.deadlines)["added"] == [d.key for d in schedule.deadlines]


def test_the_cause_of_a_move_is_worded_in_french() -> None:
    """It read 'point de départ ordonnance_signifiee du 2027-02-26 → …', 'date brute
    2027-03-26 → …', 'statut pending → missed', 'allongement pour distance None → 2 months'."""
    before = {
        "basis": "CPC art. 1416",
        "period": "1 month",
        "extension": None,
        "counting": "cpc",
        "start": {"kind": "event", "key": "ordonnance_signifiee", "date": "2027-02-26"},
        "unadjusted": "2027-03-26",
        "due": "2027-03-30",
        "status": "pending",
    }
    after = {
        **before,
        "extension": "2 months",
        "start": {"kind": "event", "key": "premier_acte_a_personne", "date": "2027-03-01"},
        "status": "missed",
    }
    names = {"ordonnance_signifiee": "Ordonnance signifiée au débiteur"}
    assert law_impact._cause(before, after, names) == (
        "allongement pour distance aucun → 2 mois; point de départ Ordonnance signifiée au "
        "débiteur du 26 février 2027 → premier acte a personne du 1er mars 2027; "
        "statut à venir → dépassé"
    )
    assert law_impact._cause(before, {**before, "unadjusted": "2027-03-27"}) == (
        "date brute 26 mars 2027 → 27 mars 2027"
    )
    assert law_impact._cause(before, {**before, "counting": "civil"}) == (
        "mode de calcul CPC art. 640-642 → Code civil (prescription)"
    )


def test_the_pending_ids_come_in_chunks_within_a_range(store: Store) -> None:
    """`pending_id_chunks`: the pending cases' ids in order, `size` at a time, within the
    range when one is given (a closed case left out, a range ending on it or on a pending
    one alike)."""
    from casefile.store.tables import Case
    from tests.store.helpers import new_case

    ids = [
        store.run(create_case(new_case(f"CHUNK-{n}"), SYSTEM, today=date(2026, 11, 2)))["id"]
        for n in range(6)
    ]
    store.run(Case.update({Case.status: "closed"}).where(Case.id == ids[3]))

    async def chunks(*args: int | None, size: int) -> list[list[int]]:
        return [c async for c in law_impact.pending_id_chunks(*args, size=size)]

    assert store.run(chunks(None, None, size=2)) == [ids[0:2], [ids[2], ids[4]], [ids[5]]]
    assert store.run(chunks(ids[1], ids[4], size=2)) == [ids[1:3], [ids[4]]]
    assert store.run(chunks(ids[1], ids[3], size=2)) == [ids[1:3]]
    assert store.run(chunks(ids[0], ids[2], size=3)) == [ids[0:3]]
    assert store.run(chunks(ids[3], ids[3], size=2)) == []
    assert store.run(law_impact.pending_ranges(size=2)) == [
        (ids[0], ids[1]),
        (ids[2], ids[4]),
        (ids[5], ids[5]),
    ]


def test_the_memos_kept_between_chunks_give_the_rows_computed_afresh(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's memos outlive a chunk up to `MEMO_LIMIT` entries (a night that follows
    another computes its cases from them): the rows written from a kept memo are those written
    with every memo emptied after each chunk, and a memo past the limit is emptied."""
    from casefile.store.tables import DeadlineRecord

    _portfolio(store)
    engine = law_impact.law_engine_in_service().engine

    def night(day: int) -> list[tuple[object, ...]]:
        store.run(DeadlineRecord.delete(force=True))  # every case stale
        store.run(
            law_impact.apply(
                SYSTEM,
                f"recalcul nocturne du {day} décembre 2026",
                datetime(2026, 12, day, 1, 30, tzinfo=UTC),
                keep_cases=False,
                record_summary=False,
            )
        )
        return sorted(
            (row["case"], row["key"], row["due"], row["status"], bytes(row["digest"]))
            for row in store.run(
                DeadlineRecord.select(
                    DeadlineRecord.case,
                    DeadlineRecord.key,
                    DeadlineRecord.due,
                    DeadlineRecord.status,
                    DeadlineRecord.digest,
                )
            )
        )

    engine.trim_memo(0)
    first = night(1)
    assert first and engine._schedules  # kept: below the limit
    assert night(2) == first  # from the kept memo
    monkeypatch.setattr(law_impact, "MEMO_LIMIT", 0)
    assert night(3) == first  # computed afresh
    assert not engine._schedules  # past the limit: emptied


def test_the_nightly_job_writes_the_instalments_and_promises_again(store: Store) -> None:
    """A chunk with a payment plan or a promise to pay writes their deadlines again (on
    PostgreSQL one query first says whether the chunk has any), a chunk with neither writes
    the engine's alone; every row as before the night."""
    from casefile.services import promises
    from casefile.store import payment_plans
    from casefile.store.payment_plans import PlanIn
    from casefile.store.tables import DeadlineRecord

    ids = _portfolio(store)
    store.run(
        payment_plans.create_plan(
            ids["tc"],
            PlanIn(
                total=Decimal("1000.00"),
                count=3,
                first_due=date(2026, 1, 31),
                kind="judiciaire",
                grace_days=15,
                granted_on=date(2026, 1, 10),
            ),
            SYSTEM,
            today=date(2026, 1, 10),
        )
    )
    store.run(
        promises.add_promise(
            ids["claim"],
            promises.PromiseIn(Decimal("500.00"), date(2026, 12, 15), made_by="M. Muller"),
            SYSTEM,
            today=date(2026, 11, 30),
        )
    )
    alone = [_case(store, f"SEUL-{n}", "injonction_de_payer", "69") for n in range(3)]

    def rows() -> list[tuple[int, str, date, str, bytes]]:
        return sorted(
            (int(row["case"]), row["key"], row["due"], row["status"], bytes(row["digest"]))
            for row in store.run(
                DeadlineRecord.select(
                    DeadlineRecord.case,
                    DeadlineRecord.key,
                    DeadlineRecord.due,
                    DeadlineRecord.status,
                    DeadlineRecord.digest,
                )
            )
        )

    before = rows()
    keys = {(case_id, key) for case_id, key, *_ in before}
    assert (ids["tc"], "echeance_1") in keys
    assert any(case_id == ids["claim"] and key.startswith("promesse") for case_id, key in keys)
    for first, last in ((ids["tc"], ids["claim"]), (alone[0], alone[-1])):
        store.run(DeadlineRecord.delete(force=True))  # every case stale
        store.run(
            law_impact.apply(
                SYSTEM,
                "recalcul nocturne du 1er décembre 2026",
                datetime(2026, 12, 1, 1, 30, tzinfo=UTC),
                first_id=first,
                last_id=last,
                keep_cases=False,
                record_summary=False,
            )
        )
        assert rows() == [row for row in before if first <= row[0] <= last]
