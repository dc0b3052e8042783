"""Author the .docx templates of `document_templates/` with python-docx (run: python build_templates.py).

The .docx files are committed and are what a lawyer opens and edits in Word or LibreOffice; this
script is how they were made, so a change of wording is reviewable as a diff of this file and
the output is byte-for-byte reproducible (fixed zip timestamps and document properties).

Conventions: A4 pages, 2.5 cm margins, Times New Roman 11 pt (metric-compatible with Liberation
Serif, which LibreOffice substitutes), French language. Templates only place pre-formatted
strings from the context built by `casefile.documents.context` (no logic beyond loops over
rows). Rows are repeated with docxtpl's `{%tr %}` (tables) and `{%p %}` (paragraphs) tags.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# --- a tiny block language -------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str
    size: int = 14


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    align: str = "justify"  # justify | left | right | center
    italic: bool = False


@dataclass(frozen=True)
class Loop:
    """One paragraph repeated for each row: `{%p for row in rows %}` … `{%p endfor %}`."""

    header: str  # "p in pieces"
    text: str


@dataclass(frozen=True)
class Table:
    """Header row, one row repeated per item (`{%tr for … %}`), optional fixed closing rows."""

    columns: Sequence[str]
    loop: str  # "f in factures"
    cells: Sequence[str]
    widths_mm: Sequence[int]
    footer: Sequence[Sequence[str]] = ()


@dataclass(frozen=True)
class Rows:
    """A fixed two-column table (label, value), for totals."""

    rows: Sequence[tuple[str, str]]
    bold_last: bool = True


Block = Title | Heading | Para | Loop | Table | Rows


# --- shared pieces of wording ----------------------------------------------------------------

FOOTER = "{{ creancier_nom }} c/ {{ debiteur_nom }} — Réf. {{ reference }}"

INVOICES_TABLE = Table(
    columns=("Facture n°", "Date", "Échéance", "Montant TTC", "Réglé", "Solde dû"),
    loop="f in factures",
    cells=(
        "{{ f.numero }}",
        "{{ f.date_emission }}",
        "{{ f.date_echeance }}",
        "{{ f.montant }}",
        "{{ f.paye }}",
        "{{ f.solde }}",
    ),
    widths_mm=(28, 30, 30, 27, 22, 23),
)

CLAIM_ROWS = Rows(
    rows=(
        ("Principal", "{{ montant_principal }}"),
        ("Intérêts de retard arrêtés au {{ date_arrete }}", "{{ montant_interets }}"),
        ("Indemnités forfaitaires pour frais de recouvrement", "{{ montant_indemnites }}"),
        ("Frais", "{{ montant_frais }}"),
        ("Total", "{{ montant_total }}"),
    )
)

PIECES_LOOP = Loop("p in pieces", "Pièce n° {{ p.numero }} : {{ p.description }} ({{ p.date }})")

SIGNATURE = (
    Para("Fait à {{ lieu }}, le {{ date_document }}", align="right"),
    Para("{{ avocat_nom }}", align="right"),
)


def bordereau_annexe(basis: str) -> list[Block]:
    return [
        Heading(f"BORDEREAU DES PIÈCES COMMUNIQUÉES ({basis})"),
        PIECES_LOOP,
    ]


# --- the templates ---------------------------------------------------------------------------

MISE_EN_DEMEURE: list[Block] = [
    Para("{{ creancier_designation }}", align="left"),
    Para("{{ debiteur_nom }}\n{{ debiteur_adresse }}", align="right"),
    Para("{{ lieu }}, le {{ date_document }}", align="right"),
    Para("LETTRE RECOMMANDÉE AVEC DEMANDE D'AVIS DE RÉCEPTION", bold=True, align="left"),
    Para("Objet : mise en demeure de payer — réf. {{ reference }}", bold=True, align="left"),
    Para("Madame, Monsieur,"),
    Para(
        "Sauf erreur ou omission de notre part, {{ debiteur_nom }} reste redevable envers "
        "{{ creancier_nom }} de la somme de {{ montant_principal }} en principal, au titre des "
        "factures suivantes, demeurées impayées à leur échéance :"
    ),
    INVOICES_TABLE,
    Para(
        "Conformément à l'article L. 441-10 du code de commerce, toute somme non payée à son "
        "échéance porte de plein droit, sans qu'un rappel soit nécessaire, des pénalités de "
        "retard calculées, sauf stipulation contraire, au taux appliqué par la Banque centrale "
        "européenne à son opération de refinancement la plus récente majoré de 10 points de "
        "pourcentage, sans pouvoir être inférieur à trois fois le taux d'intérêt légal. Au "
        "{{ date_arrete }}, ces pénalités s'élèvent à {{ montant_interets }}."
    ),
    Para(
        "Tout professionnel en situation de retard de paiement est en outre de plein droit "
        "débiteur d'une indemnité forfaitaire pour frais de recouvrement de 40 euros par "
        "facture (articles L. 441-10 et D. 441-5 du code de commerce), soit "
        "{{ montant_indemnites }}, sans préjudice d'une indemnisation complémentaire sur "
        "justification."
    ),
    CLAIM_ROWS,
    Para(
        "En conséquence, nous vous mettons en demeure de nous régler la somme totale de "
        "{{ montant_total }} ({{ montant_total_lettres }}) au plus tard le "
        "{{ date_limite_paiement }}.",
        bold=True,
    ),
    Para(
        "À défaut de paiement dans ce délai, nous saisirons la juridiction compétente sans autre "
        "avis afin d'obtenir un titre exécutoire. La présente lettre vaut mise en demeure au sens "
        "des articles 1231-6 et 1344 du code civil."
    ),
    Para("Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées."),
    Para("Pour {{ creancier_nom }}", align="right"),
]


def requete_injonction(court_line: str, competence: str) -> list[Block]:
    return [
        Title("REQUÊTE EN INJONCTION DE PAYER"),
        Para("(articles 1405 à 1425 du code de procédure civile)", align="center", italic=True),
        Para(court_line, bold=True, align="left"),
        Para("{{ tribunal_adresse }}", align="left"),
        Heading("LE REQUÉRANT"),
        Para("{{ creancier_designation }},"),
        Para(
            "Ayant pour mandataire {{ avocat_nom }}, au cabinet duquel il est fait élection de domicile."
        ),
        Heading("CONTRE"),
        Para("{{ debiteur_designation }}."),
        Heading("A L'HONNEUR DE VOUS EXPOSER"),
        Para(
            "Le requérant est créancier de {{ debiteur_nom }} au titre des factures ci-après, "
            "émises en exécution des commandes passées par le débiteur et demeurées impayées "
            "malgré mise en demeure :"
        ),
        INVOICES_TABLE,
        Para(
            "La créance a une cause contractuelle et un montant déterminé (article 1405 du code "
            f"de procédure civile). {competence}"
        ),
        Para(
            "Fondement de la créance : articles 1103 et 1231-6 du code civil ; article L. 441-10 "
            "du code de commerce pour les pénalités de retard et l'indemnité forfaitaire pour "
            "frais de recouvrement (article D. 441-5 du code de commerce)."
        ),
        Heading(
            "DÉCOMPTE DES DIFFÉRENTS ÉLÉMENTS DE LA CRÉANCE (article 1407 du code de procédure civile)"
        ),
        CLAIM_ROWS,
        Heading("PAR CES MOTIFS"),
        Para(
            "Le requérant demande qu'il vous plaise, vu les articles 1405 et suivants du code de "
            "procédure civile, d'enjoindre à {{ debiteur_nom }} de payer à {{ creancier_nom }} :"
        ),
        Para("— la somme de {{ montant_principal }} en principal ;", align="left"),
        Para(
            "— la somme de {{ montant_interets }} au titre des intérêts de retard arrêtés au "
            "{{ date_arrete }}, outre les intérêts postérieurs jusqu'à parfait paiement ;",
            align="left",
        ),
        Para(
            "— la somme de {{ montant_indemnites }} au titre des indemnités forfaitaires pour "
            "frais de recouvrement ;",
            align="left",
        ),
        Para("— la somme de {{ montant_frais }} au titre des frais ;", align="left"),
        Para(
            "soit au total {{ montant_total }} ({{ montant_total_lettres }}), ainsi que les "
            "dépens.",
            bold=True,
        ),
        *bordereau_annexe("article 1407 du code de procédure civile"),
        *SIGNATURE,
    ]


REQUETE_INJONCTION_TJ = requete_injonction(
    "À Madame ou Monsieur le juge du {{ tribunal_nom }}",
    "Le débiteur demeure dans le ressort de la juridiction saisie (article 1406 du code de "
    "procédure civile).",
)

REQUETE_INJONCTION_TC = requete_injonction(
    "À Madame ou Monsieur le président du {{ tribunal_nom }}",
    "La créance est née entre commerçants, pour les besoins de leur commerce, et le débiteur a "
    "son siège dans le ressort de la juridiction saisie (article 1406 du code de procédure "
    "civile ; article L. 721-3 du code de commerce).",
)

CERTIFICAT_NON_OPPOSITION: list[Block] = [
    Para("{{ avocat_nom }}", align="left"),
    Para(
        "À Madame ou Monsieur le directeur de greffe du {{ tribunal_nom }}\n{{ tribunal_adresse }}",
        align="right",
    ),
    Para("{{ lieu }}, le {{ date_document }}", align="right"),
    Para(
        "Objet : demande de certificat de non-opposition — ordonnance portant injonction de "
        "payer du {{ date_ordonnance }} — {{ creancier_nom }} c/ {{ debiteur_nom }} — réf. "
        "{{ reference }}",
        bold=True,
        align="left",
    ),
    Para("Madame, Monsieur le directeur de greffe,"),
    Para(
        "Par ordonnance du {{ date_ordonnance }}, le {{ tribunal_nom }} a enjoint à "
        "{{ debiteur_nom }} de payer à {{ creancier_nom }} la somme de {{ montant_principal }} "
        "en principal. Cette ordonnance, rendue après le 1er mars 2022, a été délivrée revêtue "
        "de la formule exécutoire (article 1410 du code de procédure civile, dans sa rédaction "
        "issue du décret n° 2021-1322 du 11 octobre 2021) et a été signifiée au débiteur par "
        "{{ commissaire_nom }}, {{ commissaire_titre }}."
    ),
    Para(
        "Le délai d'opposition d'un mois prévu par l'article 1416 du code de procédure civile "
        "est expiré sans qu'aucune opposition ait été formée à ma connaissance. Les causes "
        "suspensives ayant pris fin, l'ordonnance produit tous les effets d'un jugement "
        "contradictoire (article 1422 du code de procédure civile)."
    ),
    Para("Délais calculés :", align="left"),
    Loop("d in delais", "— {{ d.libelle }} : {{ d.echeance }} ({{ d.fondement }})"),
    Para(
        "Je vous remercie de bien vouloir me délivrer un certificat de non-opposition "
        "attestant qu'aucune opposition n'a été enregistrée au greffe contre cette ordonnance."
    ),
    Para(
        "Je vous prie d'agréer, Madame, Monsieur le directeur de greffe, l'expression de ma "
        "considération distinguée."
    ),
    *SIGNATURE,
]

DEMANDE_FORMULE_EXECUTOIRE: list[Block] = [
    Para("{{ avocat_nom }}", align="left"),
    Para(
        "À Madame ou Monsieur le directeur de greffe du {{ tribunal_nom }}\n{{ tribunal_adresse }}",
        align="right",
    ),
    Para("{{ lieu }}, le {{ date_document }}", align="right"),
    Para(
        "Objet : demande d'apposition de la formule exécutoire — ordonnance portant injonction "
        "de payer du {{ date_ordonnance }} — {{ creancier_nom }} c/ {{ debiteur_nom }} — réf. "
        "{{ reference }}",
        bold=True,
        align="left",
    ),
    Para("Madame, Monsieur le directeur de greffe,"),
    Para(
        "Par ordonnance du {{ date_ordonnance }}, rendue avant le 1er mars 2022, le "
        "{{ tribunal_nom }} a enjoint à {{ debiteur_nom }} de payer à {{ creancier_nom }} la "
        "somme de {{ montant_principal }} en principal. Cette ordonnance a été signifiée au "
        "débiteur par {{ commissaire_nom }}, {{ commissaire_titre }}."
    ),
    Para(
        "Le délai d'opposition d'un mois prévu par l'article 1416 du code de procédure civile "
        "est expiré sans qu'aucune opposition ait été formée. En application des articles 1422 "
        "et 1423 du code de procédure civile, dans leur rédaction antérieure au décret "
        "n° 2021-1322 du 11 octobre 2021, applicable aux ordonnances rendues avant le "
        "1er mars 2022, je vous prie de bien vouloir apposer la formule exécutoire sur cette "
        "ordonnance."
    ),
    Para(
        "La présente demande est formée dans le délai d'un mois suivant l'expiration du délai "
        "d'opposition, à défaut duquel l'ordonnance serait non avenue (ancien article 1423)."
    ),
    Para("Délais calculés :", align="left"),
    Loop("d in delais", "— {{ d.libelle }} : {{ d.echeance }} ({{ d.fondement }})"),
    Para(
        "Je vous prie d'agréer, Madame, Monsieur le directeur de greffe, l'expression de ma "
        "considération distinguée."
    ),
    *SIGNATURE,
]


CONSTITUTION = (
    "Ayant pour avocat {{ avocat_nom }}, qui se constitue sur la présente assignation et au "
    "cabinet duquel il est fait élection de domicile."
)


def act_header(title: str, subtitle: str, representation: str = CONSTITUTION) -> list[Block]:
    return [
        Title(title),
        Para(subtitle, align="center", italic=True),
        Para(
            "L'an ……… et le ……… (date de signification, complétée par le {{ commissaire_titre }})",
            align="left",
        ),
        Heading("À LA REQUÊTE DE"),
        Para("{{ creancier_designation }},"),
        Para(representation),
        Para(
            "J'ai, {{ commissaire_nom }}, {{ commissaire_titre }}, soussigné(e),",
            bold=True,
            align="left",
        ),
        Heading("DONNÉ ASSIGNATION À"),
        Para("{{ debiteur_designation }}."),
    ]


FACTS: list[Block] = [
    Heading("EN FAIT"),
    Para(
        "Le demandeur, {{ creancier_nom }}, a livré des marchandises et fourni des prestations à "
        "{{ debiteur_nom }}, qui ne les a pas payées à leur échéance malgré mise en demeure. "
        "Les factures demeurées impayées sont les suivantes :"
    ),
    INVOICES_TABLE,
    Heading("EN DROIT"),
    Para(
        "Le débiteur est tenu d'exécuter les obligations nées du contrat (article 1103 du code "
        "civil). Les sommes non payées à l'échéance portent de plein droit les pénalités de "
        "retard de l'article L. 441-10 du code de commerce et l'indemnité forfaitaire pour frais "
        "de recouvrement de l'article D. 441-5 du même code."
    ),
    Heading("DÉCOMPTE"),
    CLAIM_ROWS,
]

ASSIGNATION_REFERE_PROVISION: list[Block] = [
    *act_header(
        "ASSIGNATION EN RÉFÉRÉ-PROVISION", "({{ article_refere }}, du code de procédure civile)"
    ),
    Heading("D'AVOIR À COMPARAÎTRE"),
    Para(
        "le {{ date_audience }} à {{ heure_audience }}, devant Madame ou Monsieur le président du "
        "{{ tribunal_nom }}, statuant en référé, {{ tribunal_adresse }}."
    ),
    Para(
        "Le défendeur est informé qu'à défaut de comparaître, une ordonnance pourra être rendue "
        "contre lui sur les seuls éléments fournis par le demandeur. La date de l'audience lui "
        "laisse un temps suffisant pour préparer sa défense (article 486 du code de procédure "
        "civile)."
    ),
    *FACTS,
    Para(
        "Selon l'{{ article_refere }}, du code de procédure civile, dans les cas où l'existence "
        "de l'obligation n'est pas sérieusement contestable, le président peut accorder une "
        "provision au créancier. Tel est le cas d'une créance fondée sur des factures acceptées "
        "et non contestées."
    ),
    Heading("PAR CES MOTIFS"),
    Para(
        "Il est demandé au juge des référés de condamner {{ debiteur_nom }} à payer à "
        "{{ creancier_nom }}, à titre de provision, la somme de {{ montant_total }} "
        "({{ montant_total_lettres }}), dont {{ montant_principal }} en principal, "
        "{{ montant_interets }} d'intérêts arrêtés au {{ date_arrete }}, "
        "{{ montant_indemnites }} d'indemnités forfaitaires pour frais de recouvrement et "
        "{{ montant_frais }} de frais, outre les intérêts postérieurs et les dépens, et de "
        "rappeler que l'ordonnance de référé est exécutoire à titre provisoire."
    ),
    *bordereau_annexe("pièces sur lesquelles la demande est fondée"),
    *SIGNATURE,
]

ASSIGNATION_PAIEMENT_TJ: list[Block] = [
    *act_header(
        "ASSIGNATION EN PAIEMENT DEVANT LE TRIBUNAL JUDICIAIRE",
        "(articles 54, 56, 750 et suivants du code de procédure civile)",
    ),
    Heading("D'AVOIR À COMPARAÎTRE"),
    Para(
        "à l'audience du {{ date_audience }} à {{ heure_audience }}, devant le "
        "{{ tribunal_nom }}, {{ tribunal_adresse }}, juridiction devant laquelle la demande est "
        "portée (article 54 du code de procédure civile)."
    ),
    Heading("TRÈS IMPORTANT"),
    Para(
        "Vous êtes tenu de constituer avocat pour être représenté devant ce tribunal dans le "
        "délai de quinze jours à compter de la présente assignation (articles 752 et 763 du code "
        "de procédure civile). Faute pour vous de constituer avocat dans ce délai, vous vous "
        "exposez à ce qu'un jugement soit rendu contre vous sur les seuls éléments fournis par "
        "votre adversaire.",
        bold=True,
    ),
    Para(
        "Le tribunal est saisi par la remise au greffe d'une copie de la présente assignation au "
        "moins quinze jours avant la date de l'audience, à peine de caducité constatée d'office "
        "(article 754 du code de procédure civile)."
    ),
    Para(
        "Conformément à l'article 56 du code de procédure civile, la présente assignation "
        "contient l'exposé des moyens en fait et en droit ; les pièces sur lesquelles la demande "
        "est fondée sont énumérées au bordereau annexé. Elle vaut conclusions."
    ),
    *FACTS,
    Heading("PAR CES MOTIFS"),
    Para(
        "Il est demandé au tribunal de condamner {{ debiteur_nom }} à payer à "
        "{{ creancier_nom }} la somme de {{ montant_total }} ({{ montant_total_lettres }}), dont "
        "{{ montant_principal }} en principal, {{ montant_interets }} d'intérêts arrêtés au "
        "{{ date_arrete }}, {{ montant_indemnites }} d'indemnités forfaitaires pour frais de "
        "recouvrement et {{ montant_frais }} de frais, outre les intérêts postérieurs jusqu'à "
        "parfait paiement et les dépens, et de rappeler que le jugement est exécutoire de droit "
        "à titre provisoire (article 514 du code de procédure civile)."
    ),
    *bordereau_annexe("article 56 du code de procédure civile"),
    *SIGNATURE,
]

# Below the avocat threshold (CPC 761 3°), art. 753 replaces art. 752: no constitution of avocat,
# but a reminder of art. 832, the conditions of assistance and representation (art. 762) and, if
# any, the name of the claimant's representative. Texts of 753, 761, 762 and 832 checked against
# the Légifrance extraction at https://github.com/francois76/legifrance/blob/
# 697f9a61fd28891add9b0403fbadb7f06ac51e84/source/code_de_procédure_civile/
# code_de_procédure_civile.md ; art. 832 is quoted verbatim from it.
ASSIGNATION_PAIEMENT_TJ_SANS_AVOCAT: list[Block] = [
    *act_header(
        "ASSIGNATION EN PAIEMENT DEVANT LE TRIBUNAL JUDICIAIRE",
        "(articles 54, 56, 753 et 761, 3°, du code de procédure civile — représentation par "
        "avocat non obligatoire)",
        representation=(
            "Ayant pour représentant {{ avocat_nom }}, au cabinet duquel il est fait élection de "
            "domicile."
        ),
    ),
    Heading("D'AVOIR À COMPARAÎTRE"),
    Para(
        "à l'audience du {{ date_audience }} à {{ heure_audience }}, devant le "
        "{{ tribunal_nom }}, {{ tribunal_adresse }}, juridiction devant laquelle la demande est "
        "portée (article 54 du code de procédure civile)."
    ),
    Heading("TRÈS IMPORTANT"),
    Para(
        "Faute pour vous de comparaître à cette audience, en personne ou représenté, vous vous "
        "exposez à ce qu'un jugement soit rendu contre vous sur les seuls éléments fournis par "
        "votre adversaire.",
        bold=True,
    ),
    Para(
        "Conditions de la représentation et de l'assistance : la demande portant sur un montant "
        "qui n'excède pas le seuil de l'article 761, 3°, du code de procédure civile, la "
        "représentation par avocat n'est pas obligatoire. Conformément à l'article 762 du même "
        "code, les parties se défendent elles-mêmes ; elles peuvent se faire assister ou "
        "représenter par : un avocat ; leur conjoint, leur concubin ou la personne avec laquelle "
        "elles ont conclu un pacte civil de solidarité ; leurs parents ou alliés en ligne "
        "directe ; leurs parents ou alliés en ligne collatérale jusqu'au troisième degré "
        "inclus ; les personnes exclusivement attachées à leur service personnel ou à leur "
        "entreprise. Le représentant, s'il n'est avocat, doit justifier d'un pouvoir spécial."
    ),
    Para(
        "Rappel de l'article 832 du code de procédure civile : « Sans préjudice des dispositions "
        "de l'article 68, la demande incidente tendant à l'octroi d'un délai de paiement en "
        "application de l'article 1343-5 du code civil peut être formée par courrier remis ou "
        "adressé au greffe. Les pièces que la partie souhaite invoquer à l'appui de sa demande "
        "sont jointes à son courrier. La demande est communiquée aux autres parties, à "
        "l'audience, par le juge, sauf la faculté pour ce dernier de la leur faire notifier par "
        "le greffier, accompagnée des pièces jointes, par lettre recommandée avec demande d'avis "
        "de réception.\n"
        "L'auteur de cette demande incidente peut ne pas se présenter à l'audience, "
        "conformément au second alinéa de l'article 446-1. Dans ce cas, le juge ne fait droit "
        "aux demandes présentées contre cette partie que s'il les estime régulières, recevables "
        "et bien fondées. »",
        italic=True,
    ),
    Para(
        "Le tribunal est saisi par la remise au greffe d'une copie de la présente assignation au "
        "moins quinze jours avant la date de l'audience, à peine de caducité constatée d'office "
        "(article 754 du code de procédure civile)."
    ),
    Para(
        "Conformément à l'article 56 du code de procédure civile, la présente assignation "
        "contient l'exposé des moyens en fait et en droit ; les pièces sur lesquelles la demande "
        "est fondée sont énumérées au bordereau annexé."
    ),
    *FACTS,
    Heading("PAR CES MOTIFS"),
    Para(
        "Il est demandé au tribunal de condamner {{ debiteur_nom }} à payer à "
        "{{ creancier_nom }} la somme de {{ montant_total }} ({{ montant_total_lettres }}), dont "
        "{{ montant_principal }} en principal, {{ montant_interets }} d'intérêts arrêtés au "
        "{{ date_arrete }}, {{ montant_indemnites }} d'indemnités forfaitaires pour frais de "
        "recouvrement et {{ montant_frais }} de frais, outre les intérêts postérieurs jusqu'à "
        "parfait paiement et les dépens, et de rappeler que le jugement est exécutoire de droit "
        "à titre provisoire (article 514 du code de procédure civile)."
    ),
    *bordereau_annexe("article 56 du code de procédure civile"),
    *SIGNATURE,
]

ASSIGNATION_PAIEMENT_TC: list[Block] = [
    *act_header(
        "ASSIGNATION EN PAIEMENT DEVANT LE TRIBUNAL DE COMMERCE",
        "(articles 54, 56 et 853 à 857 du code de procédure civile)",
    ),
    Heading("D'AVOIR À COMPARAÎTRE"),
    Para(
        "à l'audience du {{ date_audience }} à {{ heure_audience }}, devant le "
        "{{ tribunal_nom }}, {{ tribunal_adresse }}, juridiction devant laquelle la demande est "
        "portée (articles 54 et 855 du code de procédure civile)."
    ),
    Heading("TRÈS IMPORTANT"),
    Para(
        "La présente assignation vous est délivrée au moins quinze jours avant la date de "
        "l'audience (article 856 du code de procédure civile). Faute pour vous de comparaître, "
        "vous vous exposez à ce qu'un jugement soit rendu contre vous sur les seuls éléments "
        "fournis par votre adversaire.",
        bold=True,
    ),
    # Art. 853 paraphrased (not quoted) from its text in force since the décret 2019-1333:
    # https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000044200291 (as reproduced at
    # https://github.com/francois76/legifrance/blob/697f9a61fd28891add9b0403fbadb7f06ac51e84/
    # source/code_de_procédure_civile/code_de_procédure_civile.md, "Article 853"). The former
    # wording "les parties se défendent elles-mêmes" is no longer in the article.
    Para(
        "Conditions de la représentation et de l'assistance (article 853 du code de procédure "
        "civile) : les parties sont, sauf disposition contraire, tenues de constituer avocat "
        "devant le tribunal de commerce. Elles en sont dispensées notamment lorsque la demande "
        "porte sur un montant inférieur ou égal à 10 000 euros ou qu'elle a pour origine "
        "l'exécution d'une obligation dont le montant n'excède pas 10 000 euros ; elles ont "
        "alors la faculté de se faire assister ou représenter par toute personne de leur choix, "
        "le représentant devant, s'il n'est avocat, justifier d'un pouvoir spécial."
    ),
    # Art. 861-2 quoted verbatim (required by art. 855 when the assignation claims payment).
    # Text: the Légifrance extraction at https://github.com/francois76/legifrance/blob/
    # 697f9a61fd28891add9b0403fbadb7f06ac51e84/source/code_de_procédure_civile/
    # code_de_procédure_civile.md ("Article 861-2"), identical to the Légifrance text reproduced
    # at https://kohenavocats.fr/2024/12/22/article-861-2-du-code-de-procedure-civile .
    # (The wording previously here was that of art. 832, the tribunal judiciaire's rule.)
    Para(
        "Reproduction de l'article 861-2 du code de procédure civile : « Sans préjudice des "
        "dispositions de l'article 68, la demande incidente tendant à l'octroi d'un délai de "
        "paiement en application de l'article 1343-5 du code civil peut être formée par requête "
        "faite, remise ou adressée au greffe, où elle est enregistrée. L'auteur de cette demande "
        "doit justifier avant l'audience que l'adversaire en a eu connaissance par lettre "
        "recommandée avec demande d'avis de réception. Les pièces que la partie invoque à "
        "l'appui de sa demande de délai de paiement sont jointes à la requête.\n"
        "L'auteur de cette demande incidente peut ne pas se présenter à l'audience, "
        "conformément au second alinéa de l'article 446-1. Dans ce cas, le juge ne fait droit "
        "aux demandes présentées contre cette partie que s'il les estime régulières, recevables "
        "et bien fondées. »",
        italic=True,
    ),
    Para(
        "Le tribunal est saisi par la remise au greffe d'une copie de la présente assignation au "
        "moins huit jours avant la date de l'audience, à peine de caducité (article 857 du code "
        "de procédure civile)."
    ),
    Para(
        "Conformément à l'article 56 du code de procédure civile, la présente assignation "
        "contient l'exposé des moyens en fait et en droit ; les pièces sur lesquelles la demande "
        "est fondée sont énumérées au bordereau annexé."
    ),
    *FACTS,
    Heading("PAR CES MOTIFS"),
    Para(
        "Il est demandé au tribunal de condamner {{ debiteur_nom }} à payer à "
        "{{ creancier_nom }} la somme de {{ montant_total }} ({{ montant_total_lettres }}), dont "
        "{{ montant_principal }} en principal, {{ montant_interets }} d'intérêts arrêtés au "
        "{{ date_arrete }}, {{ montant_indemnites }} d'indemnités forfaitaires pour frais de "
        "recouvrement et {{ montant_frais }} de frais, outre les intérêts postérieurs jusqu'à "
        "parfait paiement et les dépens, et de rappeler que le jugement est exécutoire de droit "
        "à titre provisoire (article 514 du code de procédure civile)."
    ),
    *bordereau_annexe("article 56 du code de procédure civile"),
    *SIGNATURE,
]

MANDAT_PETITES_CREANCES: list[Block] = [
    Title("MANDAT"),
    Para(
        "Procédure simplifiée de recouvrement des petites créances (article L. 125-1 et articles "
        "R. 125-1 à R. 125-8 du code des procédures civiles d'exécution)",
        align="center",
        italic=True,
    ),
    Heading("LE MANDANT"),
    Para("{{ creancier_designation }},"),
    Heading("DONNE MANDAT À"),
    Para(
        "{{ commissaire_nom }}, {{ commissaire_titre }}, de mettre en œuvre pour son compte la "
        "procédure simplifiée de recouvrement des petites créances à l'encontre de :"
    ),
    Para("{{ debiteur_designation }},"),
    Para(
        "pour le paiement d'une créance ayant une cause contractuelle, d'un montant de "
        "{{ montant_principal }} en principal et {{ montant_interets }} d'intérêts arrêtés au "
        "{{ date_arrete }}, soit {{ montant_total }} ({{ montant_total_lettres }}) au total."
    ),
    # R. 125-1 CPCE, al. 2: "Le montant de la créance en principal et intérêts ne doit pas
    # excéder 5 000 euros." Checked against https://github.com/francois76/legifrance/blob/
    # 69c0e9a01c910e155d962d949a8634c79a1fb96e/source/code_des_procédures_civiles_d'exécution/
    # code_des_procédures_civiles_d'exécution.md ("Article R125-1"); the reference stays
    # generic so the mandate does not go stale when the amount changes.
    Para(
        "Le mandant déclare que le montant de la créance, en principal et intérêts, n'excède pas "
        "le montant fixé par l'article R. 125-1 du code des procédures civiles d'exécution."
    ),
    Heading("CRÉANCE"),
    INVOICES_TABLE,
    Heading(
        "DÉROULEMENT DE LA PROCÉDURE (article L. 125-1 du code des procédures civiles d'exécution)"
    ),
    Para(
        "Le mandataire invite le débiteur, par lettre recommandée avec demande d'avis de "
        "réception ou par envoi électronique, à participer à la procédure. La procédure se "
        "déroule dans un délai d'un mois à compter de l'envoi de cette lettre. Le débiteur peut "
        "accepter ou refuser ; son silence vaut refus. En cas d'accord du créancier et du "
        "débiteur sur le montant et les modalités du paiement, le mandataire délivre, sans autre "
        "formalité, un titre exécutoire. L'acceptation du débiteur, constatée par le "
        "mandataire, suspend la prescription (article 2238 du code civil)."
    ),
    Para(
        "Les frais de toute nature qu'occasionne la procédure sont à la charge exclusive du "
        "créancier (article L. 125-1 du code des procédures civiles d'exécution)."
    ),
    Heading("PIÈCES REMISES AU MANDATAIRE"),
    PIECES_LOOP,
    Para("Fait à {{ lieu }}, le {{ date_document }}", align="right"),
    Para("Pour le mandant, {{ creancier_nom }}", align="right"),
]

DECOMPTE_CREANCE: list[Block] = [
    Title("DÉCOMPTE DE CRÉANCE"),
    Para("arrêté au {{ date_arrete }}", align="center", italic=True),
    Para("Créancier : {{ creancier_designation }}.", align="left"),
    Para("Débiteur : {{ debiteur_designation }}.", align="left"),
    Para("Référence : {{ reference }}", align="left"),
    Heading("1. FACTURES ET RÈGLEMENTS"),
    Table(
        columns=INVOICES_TABLE.columns,
        loop=INVOICES_TABLE.loop,
        cells=INVOICES_TABLE.cells,
        widths_mm=INVOICES_TABLE.widths_mm,
        footer=(
            (
                "Total",
                "",
                "",
                "{{ total_factures }}",
                "{{ total_paye }}",
                "{{ montant_principal }}",
            ),
        ),
    ),
    Heading("2. INTÉRÊTS DE RETARD PAR PÉRIODE"),
    Table(
        columns=("Facture", "Du", "Au", "Base", "Taux", "Jours", "Intérêts"),
        loop="i in interets",
        cells=(
            "{{ i.facture }}",
            "{{ i.du }}",
            "{{ i.au }}",
            "{{ i.base }}",
            "{{ i.taux }}",
            "{{ i.jours }}",
            "{{ i.montant }}",
        ),
        widths_mm=(24, 27, 27, 24, 18, 14, 26),
        footer=(("Total", "", "", "", "", "", "{{ montant_interets }}"),),
    ),
    Para(
        "Pénalités de retard de l'article L. 441-10 du code de commerce, dues de plein droit à "
        "compter du lendemain de l'échéance de chaque facture, calculées jour par jour au taux "
        "indiqué pour chaque période.",
        italic=True,
    ),
    Heading("3. INDEMNITÉS ET FRAIS"),
    Para(
        "Indemnités forfaitaires pour frais de recouvrement (articles L. 441-10 et D. 441-5 du "
        "code de commerce) : {{ montant_indemnites }}. Frais : {{ montant_frais }}."
    ),
    Heading("4. RÉCAPITULATIF"),
    CLAIM_ROWS,
    Para(
        "Arrêté le présent décompte à la somme de {{ montant_total }} "
        "({{ montant_total_lettres }}) au {{ date_arrete }}, sous réserve des intérêts "
        "postérieurs et de tous autres dus.",
        bold=True,
    ),
    Para("Fait à {{ lieu }}, le {{ date_document }}", align="right"),
]

BORDEREAU_PIECES: list[Block] = [
    Title("BORDEREAU DE COMMUNICATION DE PIÈCES"),
    Para("{{ creancier_nom }} c/ {{ debiteur_nom }}", align="center", bold=True),
    Para("{{ tribunal_nom }} — Réf. {{ reference }}", align="center"),
    Para("Pièces communiquées par {{ avocat_nom }} pour {{ creancier_nom }} :", align="left"),
    Table(
        columns=("N°", "Désignation de la pièce", "Date"),
        loop="p in pieces",
        cells=("{{ p.numero }}", "{{ p.description }}", "{{ p.date }}"),
        widths_mm=(15, 115, 30),
    ),
    *SIGNATURE,
]

TEMPLATES: dict[str, list[Block]] = {
    "mise_en_demeure": MISE_EN_DEMEURE,
    "requete_injonction_tj": REQUETE_INJONCTION_TJ,
    "requete_injonction_tc": REQUETE_INJONCTION_TC,
    "certificat_non_opposition": CERTIFICAT_NON_OPPOSITION,
    "demande_formule_executoire": DEMANDE_FORMULE_EXECUTOIRE,
    "assignation_refere_provision": ASSIGNATION_REFERE_PROVISION,
    "assignation_paiement_tj": ASSIGNATION_PAIEMENT_TJ,
    "assignation_paiement_tj_sans_avocat": ASSIGNATION_PAIEMENT_TJ_SANS_AVOCAT,
    "assignation_paiement_tc": ASSIGNATION_PAIEMENT_TC,
    "mandat_petites_creances": MANDAT_PETITES_CREANCES,
    "decompte_creance": DECOMPTE_CREANCE,
    "bordereau_pieces": BORDEREAU_PIECES,
}

TITLES = {
    "mise_en_demeure": "Mise en demeure de payer",
    "requete_injonction_tj": "Requête en injonction de payer (tribunal judiciaire)",
    "requete_injonction_tc": "Requête en injonction de payer (tribunal de commerce)",
    "certificat_non_opposition": "Demande de certificat de non-opposition",
    "demande_formule_executoire": "Demande d'apposition de la formule exécutoire",
    "assignation_refere_provision": "Assignation en référé-provision",
    "assignation_paiement_tj": "Assignation en paiement (tribunal judiciaire)",
    "assignation_paiement_tj_sans_avocat": (
        "Assignation en paiement (tribunal judiciaire, sans représentation obligatoire)"
    ),
    "assignation_paiement_tc": "Assignation en paiement (tribunal de commerce)",
    "mandat_petites_creances": "Mandat — procédure simplifiée de recouvrement des petites créances",
    "decompte_creance": "Décompte de créance",
    "bordereau_pieces": "Bordereau de communication de pièces",
}


# --- writing .docx -------------------------------------------------------------------------


def _set_defaults(document: DocxDocument) -> None:
    """Times New Roman 11 pt, French, on the document defaults (theme fonts removed)."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    lang.set(qn("w:eastAsia"), "fr-FR")
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1


def _a4(document: DocxDocument) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(25))
        footer = section.footer.paragraphs[0]
        footer.text = FOOTER
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in footer.runs:
            run.font.size = Pt(8)


ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
}


def _paragraph(document: DocxDocument, text: str, *, bold: bool = False, italic: bool = False,
               align: str = "justify", size: int | None = None) -> None:  # fmt: skip
    lines = text.split("\n")
    paragraph = document.add_paragraph()
    paragraph.alignment = ALIGN[align]
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        if index < len(lines) - 1:
            run.add_break()


def _cell(cell, text: str, *, bold: bool = False, right: bool = False) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(9)


def _is_amount(column: str) -> bool:
    return column in {"Montant TTC", "Réglé", "Solde dû", "Base", "Taux", "Jours", "Intérêts"}


def _table(document: DocxDocument, block: Table) -> None:
    n = len(block.columns)
    rows = 4 + len(block.footer)
    table = document.add_table(rows=rows, cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, column in enumerate(block.columns):
        _cell(table.rows[0].cells[i], column, bold=True)
    _cell(table.rows[1].cells[0], "{%tr for " + block.loop + " %}")
    for i, text in enumerate(block.cells):
        _cell(table.rows[2].cells[i], text, right=_is_amount(block.columns[i]))
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    for r, footer in enumerate(block.footer, start=4):
        for i, text in enumerate(footer):
            _cell(table.rows[r].cells[i], text, bold=True, right=_is_amount(block.columns[i]))
    for row in table.rows:
        for i, width in enumerate(block.widths_mm):
            row.cells[i].width = Mm(width)
    document.add_paragraph()


def _rows(document: DocxDocument, block: Rows) -> None:
    table = document.add_table(rows=len(block.rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (label, value) in enumerate(block.rows):
        bold = block.bold_last and r == len(block.rows) - 1
        _cell(table.rows[r].cells[0], label, bold=bold)
        _cell(table.rows[r].cells[1], value, bold=bold, right=True)
        table.rows[r].cells[0].width = Mm(120)
        table.rows[r].cells[1].width = Mm(40)
    document.add_paragraph()


def build(key: str, blocks: Sequence[Block]) -> bytes:
    document = Document()
    _set_defaults(document)
    _a4(document)
    props = document.core_properties
    props.title = TITLES[key]
    props.author = "casefile"
    props.last_modified_by = "casefile"
    props.comments = "Modèle docxtpl généré par document_templates/build_templates.py"
    props.language = "fr-FR"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    for block in blocks:
        if isinstance(block, Title):
            _paragraph(document, block.text, bold=True, align="center", size=block.size)
        elif isinstance(block, Heading):
            _paragraph(document, block.text, bold=True, align="left")
        elif isinstance(block, Para):
            _paragraph(
                document, block.text, bold=block.bold, italic=block.italic, align=block.align
            )
        elif isinstance(block, Loop):
            _paragraph(document, "{%p for " + block.header + " %}", align="left")
            _paragraph(document, block.text, align="left")
            _paragraph(document, "{%p endfor %}", align="left")
        elif isinstance(block, Table):
            _table(document, block)
        else:
            _rows(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Same bytes on every run: fixed timestamps, stable order, fixed compression."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def build_all(directory: Path = HERE) -> list[Path]:
    written = []
    for key, blocks in TEMPLATES.items():
        path = directory / f"{key}.docx"
        path.write_bytes(build(key, blocks))
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in build_all(target):
        print(path)
