"""Citations a lawyer can check in one click (issue 10 item 3): every rule links to Légifrance,
to the article itself where its identifier is confirmed, and every quotation is verbatim or
labelled a paraphrase. A new rule that cites a whole code fails here until it names its article
(or is added, knowingly, to the list of unconfirmed identifiers below)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from casefile.definitions import data_dir, engine

LEGIFRANCE = "https://www.legifrance.gouv.fr/"
ARTICLE = re.compile(r"^https://www\.legifrance\.gouv\.fr/codes/article_lc/LEGIARTI\d{12}$")
# An article of a text published in the Journal officiel (a décret, a loi not codified).
JORF_ARTICLE = re.compile(r"^https://www\.legifrance\.gouv\.fr/jorf/article_jo/JORFARTI\d{12}$")
SECTION = re.compile(
    r"^https://www\.legifrance\.gouv\.fr/codes/section_lc/LEGITEXT\d{12}/LEGISCTA\d{12}/$"
)
FRONT_PAGE = re.compile(r"/codes/texte_lc/")
CPC = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070716/"
CONSO = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006069565/"
IP_SECTION = (
    "https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006070716/LEGISCTA000006149784/"
)

# Time limits whose article identifier could not be confirmed from a source that names the same
# article of the same code (LEGAL.md, legal-sources.md, the public pages and repositories searched
# in the branches next-steps and legal-links): they link to the code, or to the section holding
# the article, and `basis` names the article. Each one is a known gap; once its identifier is
# confirmed, the rule links to the article and leaves this list (the test pins it both ways).
NOT_YET_AN_ARTICLE = {
    ("assignation_paiement", "signification_assignation", "CPC art. 856"): CPC,
    ("assignation_paiement", "remise_au_greffe", "CPC art. 857"): CPC,
    ("assignation_paiement", "constitution_avocat_defendeur", "CPC art. 763"): CPC,
    ("assignation_paiement", "appel", "CPC art. 538"): CPC,
    ("amiable", "prescription", "C. conso. art. L218-2"): CONSO,
    # The section "L'injonction de payer" (art. 1405 et s.), which holds art. 1416.
    ("injonction_de_payer", "opposition", "CPC art. 1416"): IP_SECTION,
}


def _rules():
    for procedure in engine().procedures.values():
        for rule in procedure.deadlines:
            yield procedure.key, rule


def test_every_time_limit_links_to_its_article_except_the_known_gaps():
    not_an_article = {}
    for procedure, rule in _rules():
        assert rule.source.startswith(LEGIFRANCE), (procedure, rule.key, rule.source)
        if not (ARTICLE.match(rule.source) or JORF_ARTICLE.match(rule.source)):
            not_an_article[(procedure, rule.key, rule.basis)] = rule.source
    assert not_an_article == NOT_YET_AN_ARTICLE, (
        "cite the article itself (codes/article_lc/LEGIARTI…), not the code or a section; "
        "an article confirmed since leaves NOT_YET_AN_ARTICLE"
    )


def test_the_known_gaps_still_name_their_article_and_link_to_its_code_or_section():
    for (_, _, basis), source in NOT_YET_AN_ARTICLE.items():
        assert " art. " in basis, basis
        assert FRONT_PAGE.search(source) or SECTION.match(source), source


def test_art_1411_links_to_the_article_in_both_of_its_versions():
    # LEGIARTI000006412563 is shown as "Article 1411 du Code de procédure civile" by
    # https://www.doctrine.fr/l/texts/codes/LEGITEXT000006070716/articles/LEGIARTI000006412563;
    # Légifrance's article_lc page shows the version in force (décret n° 2026-96 included).
    sources = {
        rule.basis: rule.source
        for procedure, rule in _rules()
        if procedure == "injonction_de_payer" and rule.key == "signification_ordonnance"
    }
    assert len(sources) == 2
    assert set(sources.values()) == {
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006412563"
    }


def test_every_quotation_is_verbatim_or_labelled_a_paraphrase():
    kinds = {rule.text_kind for _, rule in _rules()}
    assert kinds <= {"verbatim", "paraphrase"}
    for procedure, rule in _rules():
        if rule.text_kind == "verbatim":
            assert "[" not in rule.text.replace("[…]", ""), (procedure, rule.key)


def test_the_five_year_rules_cite_l110_4_and_2224_by_article():
    sources = {rule.basis: rule.source for procedure, rule in _rules() if procedure == "amiable"}
    assert sources["C. civ. art. 2224"].endswith("/LEGIARTI000019017112")
    assert sources["C. com. art. L110-4"].endswith("/LEGIARTI000027725867")


def test_a_verbatim_text_with_an_editorial_insertion_is_a_load_error(tmp_path: Path):
    from casefile.errors import DefinitionError
    from casefile.law.procedures import load_procedure

    source = (data_dir() / "procedures" / "refere_provision.toml").read_text(encoding="utf-8")
    broken = source.replace(
        'text_kind = "paraphrase"  # wording not confirmed against the article\n', ""
    )
    broken = broken.replace("[…] Le délai", "[et] Le délai")
    path = tmp_path / "refere_provision.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DefinitionError, match="text_kind"):
        load_procedure(path)


def test_calendar_and_parameter_sources_are_not_code_front_pages_except_known_gaps():
    calendars = tomllib.loads((data_dir() / "calendars" / "territories.toml").read_text("utf-8"))
    for territory in calendars["territories"]:
        assert not FRONT_PAGE.search(territory.get("source", "")), territory["key"]
    parameters = tomllib.loads((data_dir() / "procedures" / "parameters.toml").read_text("utf-8"))
    front = {
        (name, str(value["valid_from"]))
        for name, entry in parameters.items()
        for value in entry["values"]
        if FRONT_PAGE.search(value.get("source", ""))
    }
    # R125-1 in its 2020 version and art. 750-1 in its 2023 version: identifiers unconfirmed.
    assert front <= {
        ("petites_creances_plafond", "2020-01-01"),
        ("tentative_amiable_prealable", "2023-10-01"),
    }


# Every other Légifrance link in the data and the code that is not an article: the article's
# identifier could not be confirmed from LEGAL.md, legal-sources.md or another rule (listed in the
# report of the branch next-steps). A new one fails here until it names its article.
NOT_AN_ARTICLE = {
    # C. civ. 1342-10 (imputation, the receivables report): the Code civil.
    ("casefile/law/claims.py", "codes/texte_lc/LEGITEXT000006070721/"),
    ("casefile/commands/check.py", ""),  # the prefix every source must start with
    # CPC 1410 et 1422 (the comparison title) and 1416: the injonction de payer section.
    (
        "procedures/injonction_de_payer.toml",
        "codes/section_lc/LEGITEXT000006070716/LEGISCTA000006149784/",
    ),
    # CPC 488-489, 514, 856, 857, 763, 538, 750-1 (2023): the CPC.
    ("procedures/refere_provision.toml", "codes/texte_lc/LEGITEXT000006070716/"),
    ("procedures/assignation_paiement.toml", "codes/texte_lc/LEGITEXT000006070716/"),
    ("procedures/parameters.toml", "codes/texte_lc/LEGITEXT000006070716/"),
    # CPCE R125-1 (2019): the CPCE; décret n° 2016-285: its JORF text.
    ("procedures/parameters.toml", "codes/texte_lc/LEGITEXT000025024948/"),
    ("procedures/parameters.toml", "jorf/id/JORFTEXT000032182760"),
    # CPCE L111-2 and C. conso. L121-2: the CPCE.
    ("procedures/relances.toml", "codes/texte_lc/LEGITEXT000025024948/"),
    # C. conso. L218-2: the Code de la consommation.
    ("procedures/amiable.toml", "codes/texte_lc/LEGITEXT000006069565/"),
    # C. trav. L3133-1: its section; L3422-2 and loi n° 83-550: the loi.
    ("calendars/territories.toml", "codes/section_lc/LEGITEXT000006072050/LEGISCTA000033008129/"),
    ("calendars/territories.toml", "loda/id/JORFTEXT000000692257/"),
    # Ordonnance n° 2016-728 (commissaires de justice): its JORF text.
    ("document_templates/manifest.toml", "jorf/id/JORFTEXT000032623732/"),
}
LINK = re.compile(r"https://www\.legifrance\.gouv\.fr/([^\s\"'<>)]*)")


def test_no_new_link_to_a_whole_code_or_a_page_that_is_not_an_article():
    root = data_dir()
    files = [
        *sorted((root / "procedures").glob("*.toml")),
        *sorted((root / "calendars").glob("*.toml")),
        root / "document_templates" / "manifest.toml",
        *sorted((root / "casefile").rglob("*.py")),
        *sorted((root / "casefile").rglob("*.html")),
    ]
    found = set()
    for path in files:
        for match in LINK.finditer(path.read_text(encoding="utf-8")):
            if not ARTICLE.match(match.group(0)):
                found.add((path.relative_to(root).as_posix(), match.group(1)))
    assert found == NOT_AN_ARTICLE


def test_the_petites_creances_title_and_first_step_cite_l125_1_itself():
    procedure = engine().procedures["petites_creances"]
    l125_1 = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032009727"
    assert procedure.comparison is not None and procedure.comparison.title_source == l125_1
    assert procedure.first_step is not None and procedure.first_step.source == l125_1
