"""Rates not yet in the data (issue 13 item 5): an administrator records a published semester
value with its source; it is merged over parameters.toml, never replaces it, and the
statement of that semester stops being provisional. Every value here is an obviously
fictitious test value (9.99 %, example.test), written to a temporary overlay only."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from casefile import definitions
from casefile.errors import DefinitionError, Forbidden, InputError, InvalidFields
from casefile.law.claims import missing_semester_rates, semester_value
from casefile.law.recorded_rates import RecordedRate, RecordedRates, merge_recorded_rates
from casefile.law.wording import date_fr
from casefile.services.rates import RateIn, rate_overview, record_rate
from casefile.store import audit
from casefile.store.permissions import SYSTEM, User

TODAY = date(2026, 11, 30)
FICTITIOUS = "https://example.test/fictitious-publication"


@pytest.fixture
def overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "rates" / "recorded.toml"
    monkeypatch.setenv("CASEFILE_RATES_FILE", str(path))
    definitions.engine.cache_clear()
    definitions.parameters.cache_clear()
    yield path
    definitions.engine.cache_clear()
    definitions.parameters.cache_clear()


def test_a_recorded_semester_is_appended_never_replacing_the_reviewed_data() -> None:
    base = definitions.load_engine(definitions.data_dir(), Path("/nonexistent")).parameters
    last = base["taux_bce_refinancement"].values[-1].valid_from
    later = f"{last.year + 1}-H1"
    entry = RecordedRate(later, "admin", TODAY, value="9.99", source=FICTITIOUS)
    merged = merge_recorded_rates(base, RecordedRates(taux_bce_refinancement=(entry,)), "t")
    value = semester_value(merged["taux_bce_refinancement"], date(last.year + 1, 3, 1))
    assert value.value == Decimal("9.99") and value.source == FICTITIOUS
    assert "enregistrée par admin le 30 novembre 2026" in value.basis
    covered = RecordedRate(
        f"{last.year}-H{1 if last.month == 1 else 2}",
        "admin",
        TODAY,
        value="9.99",
        source=FICTITIOUS,
    )
    with pytest.raises(DefinitionError, match=r"déjà couvert par procedures/parameters\.toml"):
        merge_recorded_rates(base, RecordedRates(taux_bce_refinancement=(covered,)), "t")
    # A legal-rate semester with one of its two values is not used.
    half = RecordedRate(later, "admin", TODAY, value="9.99", source=FICTITIOUS)
    kept = merge_recorded_rates(base, RecordedRates(taux_interet_legal=(half,)), "t")
    assert kept["taux_interet_legal"].values == base["taux_interet_legal"].values


def test_an_administrator_records_the_missing_semester_and_check_stops_warning(
    overlay: Path, store, capsys: pytest.CaptureFixture[str]
) -> None:
    before = missing_semester_rates(definitions.engine().parameters, TODAY)
    if not any(w.startswith("« taux_bce_refinancement » :") for w in before):
        pytest.skip("parameters.toml already holds the semester of TODAY")
    with pytest.raises(Forbidden):
        store.run(
            record_rate(RateIn("ecb", "2026-H2", "9.99", FICTITIOUS), User(2, "a", "avocat"), TODAY)
        )
    result = store.run(record_rate(RateIn("ecb", "2026-h2", "9,99", FICTITIOUS), SYSTEM, TODAY))
    assert (result["semester"], result["value"], result["complete"]) == ("2026-H2", "9.99", True)
    assert 'value = "9.99"' in overlay.read_text(encoding="utf-8")
    after = missing_semester_rates(definitions.engine().parameters, TODAY)
    assert not any(w.startswith("« taux_bce_refinancement » :") for w in after)
    assert semester_value(definitions.parameters()["taux_bce_refinancement"], TODAY).value == (
        Decimal("9.99")
    )
    with pytest.raises(InputError, match="déjà enregistré"):
        store.run(record_rate(RateIn("ecb", "2026-H2", "1.00", FICTITIOUS), SYSTEM, TODAY))
    with pytest.raises(InputError, match=r"déjà renseigné dans procedures/parameters\.toml"):
        store.run(record_rate(RateIn("ecb", "2026-H1", "1.00", FICTITIOUS), SYSTEM, TODAY))
    # The legal rate needs both of its values before a statement uses it.
    legal = store.run(
        record_rate(RateIn("taux_legal_autres", "2026-H2", "8.88", FICTITIOUS), SYSTEM, TODAY)
    )
    assert legal["complete"] is False
    assert any(
        w.startswith("« taux_interet_legal » :")
        for w in missing_semester_rates(definitions.engine().parameters, TODAY)
    )
    legal = store.run(
        record_rate(RateIn("taux_legal_particulier", "2026-H2", "7.77", FICTITIOUS), SYSTEM, TODAY)
    )
    assert legal["complete"] is True
    assert missing_semester_rates(definitions.engine().parameters, TODAY) == []
    overview = {r["kind"]: r for r in rate_overview(TODAY)}
    assert overview["taux_legal_particulier"]["recorded"][0]["value"] == "7.77"
    assert all(r["current_semester_known"] for r in overview.values())
    [entry, *_] = [e for e in store.run(audit.list_entries(SYSTEM)) if e["action"] == "rate.record"]
    assert entry["after"]["source"] == FICTITIOUS
    # `casefile rate list`: the label first, the value with its comma, the day in words.
    from casefile.commands.rates import rate_list

    capsys.readouterr()
    assert rate_list(argparse.Namespace(format="text")) == 0
    listed = capsys.readouterr().out
    assert "(--kind ecb) — semestre en cours : renseigné" in listed
    assert (
        f"\t2026-S2 = 9,99\u00a0% — {FICTITIOUS} (enregistré par system le {date_fr(TODAY)})"
    ) in listed


def test_a_wrong_rate_is_refused_field_by_field(overlay: Path, store) -> None:
    with pytest.raises(InvalidFields) as caught:
        store.run(record_rate(RateIn("bce", "2026-H3", "beaucoup", "http://x"), SYSTEM, TODAY))
    assert set(caught.value.errors) == {"kind", "semester", "value", "source"}
    assert caught.value.errors["value"] == (
        "taux, valeur publiée (% par an) : « beaucoup » n'est pas un pourcentage (ex. 2,15)"
    )
    assert caught.value.errors["kind"].startswith("taux, nature du taux : « bce » inconnue")
    assert caught.value.errors["source"] == (
        "taux, adresse de la publication : l'adresse (https://…) de la publication officielle "
        "est obligatoire"
    )
    with pytest.raises(InvalidFields, match="n'a pas encore commencé"):
        store.run(record_rate(RateIn("ecb", "2027-H2", "1", FICTITIOUS), SYSTEM, TODAY))
    assert not overlay.exists()


def test_the_french_semester_is_accepted_and_shown() -> None:
    from casefile.services.rates import semester_key, semester_label_fr

    assert semester_key(" 2026-s2 ") == "2026-H2"
    assert semester_key("2026-S1") == "2026-H1"
    assert semester_key("2026-H2") == "2026-H2"
    assert semester_key("2026-S3") == "2026-S3"  # refused by semester_start
    assert semester_label_fr("2026-H2") == "2026-S2"
    assert semester_label_fr("2026-H1") == "2026-S1"


def test_an_unreadable_semester_is_refused_in_french(overlay: Path, store) -> None:
    with pytest.raises(InvalidFields) as refused:
        store.run(record_rate(RateIn("ecb", "2026-S3", "1", FICTITIOUS), SYSTEM, TODAY))
    assert refused.value.errors["semester"] == (
        "taux, semestre d'application : « 2026-S3 » : écrire l'année et le semestre, ex. 2026-S2 (S1 : janvier "
        "à juin, S2 : juillet à décembre)"
    )
    with pytest.raises(InvalidFields) as later:
        store.run(record_rate(RateIn("ecb", "2027-S2", "1", FICTITIOUS), SYSTEM, TODAY))
    assert later.value.errors["semester"] == (
        "taux, semestre d'application : 2027-S2 n'a pas encore commencé : sa valeur n'est pas publiée"
    )
