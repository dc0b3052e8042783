"""Loading the law's data: errors name the file and the key; the core stays pure."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from casefile.errors import DefinitionError
from casefile.law.procedures import load_procedure, load_procedures
from tests.conftest import ROOT

GOOD_DEADLINE = """
[[deadlines]]
key = "appel"
label = "Appel"
start = [{ event = "jugement_signifie" }]
period = "1 month"
counting = "cpc"
distance_extension = true
actor = "debiteur"
satisfied_by = []
consequence = "x"
basis = "CPC art. 538"
source = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070716/"
text = "Le délai de recours par une voie ordinaire est d'un mois en matière contentieuse."
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "essai.toml"
    path.write_text(
        textwrap.dedent(
            """
            key = "essai"
            title = "Essai"
            legal_basis = "CPC"
            summary = "Essai."
            verified_on = "2026-11-24"
            courts = ["tribunal_judiciaire"]
            [[events]]
            key = "jugement_signifie"
            label = "Jugement signifié"
            """
        )
        + body,
        encoding="utf-8",
    )
    return path


def test_a_good_definition_loads(tmp_path):
    procedure = load_procedure(write(tmp_path, GOOD_DEADLINE))
    assert procedure.deadline_keys == ("appel",)


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (
            ('event = "jugement_signifie"', 'event = "jugement_rendu"'),
            "appel",
            "événement inconnu « jugement_rendu »",
        ),
        (('period = "1 month"', 'period = "one month"'), "appel", "durée « one month » illisible"),
        (
            (
                'source = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070716/"\n',
                "",
            ),
            "deadlines[0].source",
            "obligatoire (un lien https:// (Légifrance pour un article))",
        ),
        (('basis = "CPC art. 538"\n', ""), "deadlines[0].basis", "obligatoire (un texte non vide)"),
        (('counting = "cpc"', 'counting = "roughly"'), "appel", "counting"),
        (('actor = "debiteur"', 'actor = "le voisin"'), "appel", "actor"),
        (('period = "1 month"', 'period = "-1 month"'), "appel", "backward"),
    ],
)
def test_definition_errors_name_the_file_and_the_key(tmp_path, change, key, message):
    path = write(tmp_path, GOOD_DEADLINE.replace(*change))
    with pytest.raises(DefinitionError) as error:
        load_procedure(path)
    assert str(path) in str(error.value)
    assert key in str(error.value)
    assert message in str(error.value)


def test_cycles_between_deadlines_are_refused(tmp_path):
    body = GOOD_DEADLINE.replace(
        'start = [{ event = "jugement_signifie" }]', 'start = [{ deadline = "b" }]'
    )
    body += GOOD_DEADLINE.replace('key = "appel"', 'key = "b"').replace(
        'start = [{ event = "jugement_signifie" }]', 'start = [{ deadline = "appel" }]'
    )
    with pytest.raises(DefinitionError, match="cycle dans les départs des délais : "):
        load_procedure(write(tmp_path, body))


def test_overlapping_versions_are_refused(tmp_path):
    body = GOOD_DEADLINE + GOOD_DEADLINE.replace('period = "1 month"', 'period = "2 months"')
    with pytest.raises(DefinitionError, match="overlapping"):
        load_procedure(write(tmp_path, body))


def test_dated_versions_that_do_not_overlap_load(tmp_path):
    first = GOOD_DEADLINE.replace(
        'counting = "cpc"', 'counting = "cpc"\nvalid_until = "2021-12-31"'
    )
    second = GOOD_DEADLINE.replace(
        'counting = "cpc"', 'counting = "cpc"\nvalid_from = "2022-01-01"'
    )
    assert len(load_procedure(write(tmp_path, first + second)).deadlines) == 2


def test_the_key_must_match_the_file_name(tmp_path):
    path = write(tmp_path, GOOD_DEADLINE)
    renamed = path.rename(tmp_path / "autre.toml")
    with pytest.raises(DefinitionError, match="doit correspondre au nom du fichier « autre »"):
        load_procedure(renamed)


def test_the_repository_definitions_have_the_contract_keys():
    procedures = load_procedures(ROOT / "procedures")
    assert set(procedures) == {
        "injonction_de_payer",
        "refere_provision",
        "assignation_paiement",
        "petites_creances",
        "amiable",
    }
    required = {
        "injonction_de_payer": {"signification_ordonnance", "opposition", "formule_executoire"},
        "refere_provision": {"appel"},
        "assignation_paiement": {"remise_au_greffe", "appel"},
        "petites_creances": {"reponse_debiteur"},
        "amiable": {"prescription"},
    }
    for key, deadlines in required.items():
        assert deadlines <= set(procedures[key].deadline_keys), key
    for procedure in procedures.values():
        for rule in procedure.deadlines:
            assert rule.basis and rule.source.startswith("https://www.legifrance.gouv.fr/"), (
                rule.ident
            )


def test_the_core_imports_no_io_library():
    """STYLE.md habit 3: importing and running the core loads no database, web or S3 client."""
    code = textwrap.dedent(
        """
        import sys
        from casefile.definitions import engine
        from casefile.law.requests import schedule_for
        schedule_for(engine(), {"procedure": "refere_provision", "events": {"ordonnance_signifiee": {"date": "2026-10-27"}}})
        bad = [m for m in ("piccolo", "litestar", "minio", "asyncpg", "aiosqlite", "httpx", "uvicorn", "sqlite3") if m in sys.modules]
        print(",".join(bad))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_casefile_check_fails_naming_the_file_and_key(tmp_path, monkeypatch):
    import shutil

    for folder in ("procedures", "calendars"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    broken = tmp_path / "procedures" / "refere_provision.toml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace('period = "15 days"', 'period = "quinze jours"'),
        encoding="utf-8",
    )
    env = {"CASEFILE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "casefile.cli", "check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "refere_provision.toml" in result.stderr and "appel" in result.stderr


FIRST = (
    'first_step = {{ label = "Signifier", event = "{event}", actor = "{actor}", basis = "CPC" }}\n'
)


def test_a_first_step_loads_with_the_documents_of_its_event(tmp_path):
    body = GOOD_DEADLINE + '[[documents]]\ntemplate = "acte"\nstep = "jugement_signifie"\n'
    path = write(tmp_path, body)
    text = path.read_text(encoding="utf-8")
    first = FIRST.format(event="jugement_signifie", actor="creancier")
    path.write_text(text.replace('courts = ["', first + 'courts = ["', 1), encoding="utf-8")
    step = load_procedure(path).first_step
    assert step is not None
    assert (step.label, step.event, step.actor, step.basis, step.source, step.documents) == (
        "Signifier",
        "jugement_signifie",
        "creancier",
        "CPC",
        "",
        ("acte",),
    )


@pytest.mark.parametrize(
    ("event", "actor", "message"),
    [
        ("jugement_rendu", "creancier", "first_step.event: événement inconnu « jugement_rendu »"),
        (
            "appel_forme",
            "creancier",
            "« appel_forme » suit d'autres événements (jugement_signifie)",
        ),
        ("jugement_signifie", "le voisin", "first_step.actor"),
    ],
)
def test_a_bad_first_step_is_refused_naming_the_key(tmp_path, event, actor, message):
    path = write(tmp_path, GOOD_DEADLINE)
    text = path.read_text(encoding="utf-8")
    first = FIRST.format(event=event, actor=actor)
    extra = '[[events]]\nkey = "appel_forme"\nlabel = "Appel"\nafter = ["jugement_signifie"]\n'
    path.write_text(text.replace('courts = ["', first + 'courts = ["', 1) + extra, encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_procedure(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_every_shipped_procedure_says_what_to_do_first():
    """A case with no event of its procedure yet (new, or just handed over) is never left with
    « Rien à faire »: each procedure names its first step, an event without prerequisite."""
    from casefile.definitions import engine

    for key, procedure in engine().procedures.items():
        step = procedure.first_step
        assert step is not None, key
        assert step.event in procedure.events and not procedure.events[step.event].after, key


def test_an_attribute_example_is_its_help_not_its_label():
    """« Délai laissé pour payer (ex. : 8 jours) » read so in the case history and the
    documents: the example belongs to the form (`help`), the label names the attribute."""
    procedures = load_procedures(ROOT / "procedures")
    seen = 0
    for procedure in procedures.values():
        for event in procedure.events.values():
            for attribute in (event.attributes or {}).values():
                assert "ex. :" not in attribute.label, (procedure.key, event.key, attribute.key)
                if event.key == "mise_en_demeure_envoyee" and attribute.key == "delai":
                    assert (attribute.label, attribute.help) == (
                        "Délai laissé pour payer",
                        "ex. : 8 jours",
                    )
                    seen += 1
    assert seen == 5  # the amicable phase and each of the four procedures
