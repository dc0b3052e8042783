"""The claim statement (décompte de créance): principal, late interest, indemnities, totals.

Rules encoded, each with its article:

- Between professionals (C. com. L441-10 II): penalties run without reminder from the day after
  the due date, at the ECB main refinancing rate in force on 1 January (first semester) or
  1 July (second semester) + 10 points (parameters `taux_bce_refinancement`,
  `penalites_retard_majoration`); each late invoice also owes the fixed recovery indemnity of
  D441-5 (parameter `indemnite_forfaitaire_recouvrement`, 40 €).
- Consumer debtor, or a creditor who is a natural person not acting for professional needs
  (L441-10 does not apply to them): moratory interest at the taux de l'intérêt légal of each
  semester (C. mon. fin. L313-2; the `particulier` rate when the creditor is such a person)
  from the mise en demeure (C. civ. 1231-6, 1344-1); without one, no interest.
- Day count actual/365, even in leap years: L441-10 and L313-2 give annual rates and fix no
  divisor; 365 is the convention of the statement this project files (LEGAL.md, issue 3), so a
  day of 2024 costs the same as a day of 2023. The divisor is dated law data (parameter
  `base_calcul_interets_jours`, with the note on its basis), read at each line's first day.
- Payments (C. civ. 1342-10): the debtor may name the invoice he pays; otherwise the payment
  goes first to the debts already due, among them to the oldest due, and proportionally
  between debts due the same day. All invoices of one statement bear the same rate, so none
  is one "the debtor had more interest in paying". Each payment goes first to the interest
  accrued on the invoice, then to its principal (C. civ. 1343-1 al. 1: "le paiement partiel
  s'impute d'abord sur les intérêts"). The 40 € indemnity is not interest: payments do not
  settle it, it stays in the totals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from casefile.errors import InputError
from casefile.law.money import round_cents
from casefile.law.parameters import DatedValue, Parameter
from casefile.law.wording import amount_fr, choices_fr, date_fr, decimal_fr, semester_fr

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEBTOR_KINDS = ("professionnel", "consommateur")

L441_10 = "C. com. art. L441-10"
L441_10_SOURCE = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000038414392"
D441_5 = "C. com. art. D441-5"
LEGAL_RATE = "C. civ. art. 1231-6 et 1344-1 ; C. mon. fin. art. L313-2"
CIVIL_CODE_SOURCE = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070721/"


@dataclass(frozen=True, slots=True)
class Invoice:
    """An invoice; `paid` is what was settled without a dated payment (taken as paid on time)."""

    number: str
    issue_date: date
    due_date: date
    amount_ttc: Decimal
    paid: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Payment:
    """A dated payment; `invoice` is the invoice the debtor named (C. civ. 1342-10 al. 1)."""

    date: date
    amount: Decimal
    invoice: str | None = None


@dataclass(frozen=True, slots=True)
class InterestLine:
    """Interest on one invoice over days `start`..`end` (both counted) at one rate."""

    invoice: str
    start: date
    end: date
    days: int
    base: Decimal
    rate: Decimal  # percent a year
    amount: Decimal  # rounded to the cent
    basis: str
    rate_source: str
    day_count: Decimal = Decimal(365)  # the divisor: days in a year for the prorata

    def explanation(self) -> str:
        return (
            f"{self.invoice} : {amount_fr(self.base)} × {decimal_fr(self.rate)} % × {self.days} j "
            f"/ {decimal_fr(self.day_count)} (du {date_fr(self.start)} au {date_fr(self.end)}) = "
            f"{amount_fr(self.amount)} — {self.basis}"
        )


@dataclass(frozen=True, slots=True)
class Imputation:
    """Where (part of) a payment went: interest first, then principal (C. civ. 1343-1)."""

    date: date
    invoice: str
    to_interest: Decimal
    to_principal: Decimal
    rule: str


@dataclass(frozen=True, slots=True)
class InvoiceBalance:
    number: str
    due_date: date
    amount_ttc: Decimal
    paid_without_date: Decimal
    principal_paid: Decimal
    principal_outstanding: Decimal
    interest: Decimal
    interest_paid: Decimal
    interest_outstanding: Decimal
    indemnity: Decimal

    @property
    def total_outstanding(self) -> Decimal:
        return self.principal_outstanding + self.interest_outstanding + self.indemnity


@dataclass(frozen=True, slots=True)
class Statement:
    as_of: date
    debtor_kind: str
    regime: str  # "L441-10" or "taux_legal" or "none"
    invoices: tuple[InvoiceBalance, ...]
    interest_lines: tuple[InterestLine, ...]
    imputations: tuple[Imputation, ...]
    unapplied: Decimal  # paid beyond everything owed: a credit of the debtor
    notes: tuple[str, ...] = field(default=())
    creditor_is_individual: bool = False
    missing_semesters: tuple[str, ...] = ()  # semesters whose rate is not yet known: no interest

    @property
    def provisional(self) -> bool:
        """True when a needed rate is not yet published: interest stops before that semester."""
        return bool(self.missing_semesters)

    @property
    def principal_outstanding(self) -> Decimal:
        return sum((i.principal_outstanding for i in self.invoices), ZERO)

    @property
    def interest(self) -> Decimal:
        return sum((line.amount for line in self.interest_lines), ZERO)

    @property
    def interest_outstanding(self) -> Decimal:
        return sum((i.interest_outstanding for i in self.invoices), ZERO)

    @property
    def indemnities(self) -> Decimal:
        return sum((i.indemnity for i in self.invoices), ZERO)

    @property
    def total(self) -> Decimal:
        """What the debtor owes as of the date: every displayed line, summed."""
        return self.principal_outstanding + self.interest_outstanding + self.indemnities

    def invoice(self, number: str) -> InvoiceBalance:
        for balance in self.invoices:
            if balance.number == number:
                return balance
        raise InputError(f"Facture « {number} » : elle ne figure pas dans le décompte.")


def semester_of(day: date) -> tuple[date, date]:
    """First and last day of the calendar half-year holding `day`."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def semester_name(day: date) -> str:
    return f"{day.year} H{1 if day.month <= 6 else 2}"


RATE_NAMES = {
    "taux_bce_refinancement": "taux de refinancement de la BCE",
    "taux_interet_legal": "taux de l'intérêt légal",
}
"""How a person names each semester rate (the parameter's `label` is a full definition)."""


class MissingRate(InputError):
    """The rate of a semester is not (yet) recorded: computed statements stop before it.
    `parameter` and `semester` ("2026 H2") say which, for a page to tell how to add it."""

    def __init__(self, message: str, *, parameter: str, semester: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.semester = semester


class MissingMargin(InputError):
    """No L441-10 margin (points over the ECB rate) is recorded for `day`."""

    def __init__(self, message: str, *, day: date) -> None:
        super().__init__(message)
        self.day = day


def _missing_rate(parameter: Parameter, day: date, detail: str) -> MissingRate:
    name = RATE_NAMES.get(parameter.key, parameter.key)
    return MissingRate(
        f"Taux inconnu pour {semester_fr(day)} : {detail.format(name=name)}",
        parameter=parameter.key,
        semester=semester_name(day),
    )


def semester_value(parameter: Parameter, day: date) -> DatedValue:
    """The value recorded for the semester of `day`; refuses a semester with no entry of its
    own rather than carrying the previous semester's rate over."""
    first, _ = semester_of(day)
    try:
        value = parameter.at(first)
    except InputError:
        raise _missing_rate(
            parameter,
            day,
            "le {name} n'est enregistré qu'à compter du "
            f"{date_fr(parameter.values[0].valid_from)}.",
        ) from None
    if value.valid_from != first or value.value is None:
        raise _missing_rate(
            parameter,
            day,
            f"le {{name}} du semestre commençant le {date_fr(first)} n'est pas enregistré ; "
            "un administrateur l'enregistre avec sa source (« casefile rate add » ou page Taux).",
        )
    return value


SEMESTER_RATES = ("taux_bce_refinancement", "taux_interet_legal")
"""The rates published per half-year (L441-10: ECB rate of 1 January / 1 July; L313-2)."""


def missing_semester_rates(rates: Mapping[str, Parameter], day: date) -> list[str]:
    """French warnings for each semester rate with no value of its own for `day`'s semester
    (`casefile check` prints them: statements of that semester are provisional)."""
    warnings = []
    for key in SEMESTER_RATES:
        if key not in rates:
            continue
        try:
            semester_value(rates[key], day)
        except MissingRate:
            warnings.append(
                f"« {key} » : aucune valeur pour {_semester_fr(semester_name(day))} ; les "
                "décomptes de ce semestre sont provisoires jusqu'à l'enregistrement du taux "
                "publié (avec sa source) : « casefile rate add » ou page Taux (administrateur)."
            )
    return warnings


@dataclass(frozen=True, slots=True)
class _Rate:
    percent: Decimal
    basis: str
    source: str


def _rate_for(
    day: date, regime: str, creditor_is_individual: bool, rates: Mapping[str, Parameter]
) -> _Rate:
    if regime == "L441-10":
        ecb = semester_value(_parameter(rates, "taux_bce_refinancement"), day)
        points = _parameter(rates, "penalites_retard_majoration").at(day).value
        assert ecb.value is not None
        if points is None:
            raise MissingMargin(
                "Majoration des pénalités de retard (C. com. art. L441-10) inconnue au "
                f"{date_fr(day)} : ajoutez une valeur datée à penalites_retard_majoration dans "
                "procedures/parameters.toml.",
                day=day,
            )
        return _Rate(
            ecb.value + points,
            f"{L441_10} : taux BCE du {date_fr(semester_of(day)[0])} "
            f"({decimal_fr(ecb.value)} %) + {decimal_fr(points.normalize())} points",
            ecb.source,
        )
    legal = semester_value(_parameter(rates, "taux_interet_legal"), day)
    if creditor_is_individual:
        if "particulier" not in legal.extra:
            raise _missing_rate(
                _parameter(rates, "taux_interet_legal"),
                day,
                "le {name} des créanciers personnes physiques n'agissant pas pour des besoins "
                "professionnels n'est pas enregistré pour ce semestre.",
            )
        percent = legal.extra["particulier"]
        who = "créancier personne physique n'agissant pas pour des besoins professionnels"
    else:
        assert legal.value is not None
        percent = legal.value
        who = "autres cas"
    return _Rate(percent, f"{LEGAL_RATE} : taux légal {semester_name(day)} ({who})", legal.source)


def _day_count(rates: Mapping[str, Parameter], day: date) -> Decimal:
    """The number of days in a year the annual rate is divided by, for a line starting `day`."""
    divisor = _parameter(rates, "base_calcul_interets_jours").at(day).value
    if divisor is None or divisor <= 0:
        raise InputError(
            f"Base de calcul des intérêts (nombre de jours de l'année) inconnue au {date_fr(day)} :"
            " ajoutez une valeur datée à base_calcul_interets_jours dans "
            "procedures/parameters.toml."
        )
    return divisor


def _parameter(rates: Mapping[str, Parameter], key: str) -> Parameter:
    if key not in rates:
        raise InputError(f"Paramètre « {key} » absent de procedures/parameters.toml.")
    return rates[key]


@dataclass
class _State:
    """Running balance of one invoice while payments are applied in date order."""

    invoice: Invoice
    principal: Decimal
    interest_from: date | None  # first day not yet in an interest line; None: no interest
    interest: Decimal = ZERO
    interest_paid: Decimal = ZERO
    principal_paid: Decimal = ZERO
    late: bool = False
    late_checked: bool = False

    @property
    def interest_outstanding(self) -> Decimal:
        return self.interest - self.interest_paid

    @property
    def outstanding(self) -> Decimal:
        return self.principal + self.interest_outstanding


_Apply = Callable[[_State, date, Decimal, str], Decimal]
_Close = Callable[[_State, date], None]


def _validate(invoices: Sequence[Invoice], payments: Sequence[Payment], debtor_kind: str) -> None:
    if debtor_kind not in DEBTOR_KINDS:
        raise InputError(
            f"Qualité du débiteur « {debtor_kind} » inconnue : attendu {choices_fr(DEBTOR_KINDS)}."
        )
    seen: set[str] = set()
    for invoice in invoices:
        name = f"Facture {invoice.number}"
        if invoice.number in seen:
            raise InputError(f"{name} : ce numéro de facture figure deux fois.")
        seen.add(invoice.number)
        for amount, what in ((invoice.amount_ttc, "montant TTC"), (invoice.paid, "montant payé")):
            if amount != amount.quantize(CENT):
                raise InputError(
                    f"{name} : le {what} ({decimal_fr(amount)} €) a plus de deux décimales."
                )
        if invoice.amount_ttc <= 0:
            raise InputError(
                f"{name} : le montant TTC ({amount_fr(invoice.amount_ttc)}) doit être positif."
            )
        if invoice.paid < 0:
            raise InputError(
                f"{name} : le montant payé ({amount_fr(invoice.paid)}) ne peut pas être négatif."
            )
        if invoice.paid > invoice.amount_ttc:
            raise InputError(
                f"{name} : le montant payé ({amount_fr(invoice.paid)}) dépasse le montant TTC "
                f"({amount_fr(invoice.amount_ttc)})."
            )
        if invoice.due_date < invoice.issue_date:
            raise InputError(
                f"{name} : l'échéance ({date_fr(invoice.due_date)}) précède la date d'émission "
                f"({date_fr(invoice.issue_date)})."
            )
    for payment in payments:
        name = f"Paiement du {date_fr(payment.date)}"
        if payment.amount <= 0 or payment.amount != payment.amount.quantize(CENT):
            raise InputError(
                f"{name} : le montant ({decimal_fr(payment.amount)} €) doit être positif, "
                "au centime près."
            )
        if payment.invoice is not None and payment.invoice not in seen:
            raise InputError(
                f"{name} : la facture « {payment.invoice} » qu'il règle ne figure pas parmi les "
                "factures du dossier."
            )


def claim_statement(
    invoices: Sequence[Invoice],
    payments: Sequence[Payment],
    as_of: date,
    *,
    rates: Mapping[str, Parameter],
    debtor_kind: str = "professionnel",
    creditor_is_individual: bool = False,
    mise_en_demeure_date: date | None = None,
) -> Statement:
    """The statement as of `as_of` (interest counted up to and including that day).

    Rounding: only displayed amounts are rounded (each interest line, to the cent, half up);
    nothing inside a line is (no daily amount, no rate ÷ 365), so every line can be recomputed
    by hand from base × rate × days / 365, and every total is the sum of the lines shown — a
    décompte filed with a requête (CPC 1407) must add up. Payments settle those displayed
    lines, so balances stay in cents. `rates` is `casefile.definitions.parameters()`: the pure
    core does not read files on its own.
    """
    _validate(invoices, payments, debtor_kind)
    if debtor_kind == "professionnel" and not creditor_is_individual:
        regime = "L441-10"
    elif mise_en_demeure_date is not None:
        regime = "taux_legal"
    else:
        regime = "none"
    notes: list[str] = []
    if regime == "none":
        notes.append(
            "Aucun intérêt : sans mise en demeure, les intérêts au taux légal ne courent pas "
            "(C. civ. art. 1231-6, 1344-1)."
        )

    states = [
        _State(inv, inv.amount_ttc - inv.paid, _interest_start(inv, regime, mise_en_demeure_date))
        for inv in sorted(invoices, key=lambda i: (i.due_date, i.issue_date, i.number))
    ]
    by_number = {state.invoice.number: state for state in states}
    lines: list[InterestLine] = []
    imputations: list[Imputation] = []
    unapplied = ZERO
    missing: dict[str, None] = {}  # semester name → None, in the order met

    def close(state: _State, through: date) -> None:
        """Add the interest lines of `state` up to and including `through`."""
        start = state.interest_from
        if start is None or through < start:
            return
        day = start
        while day <= through:
            _, semester_end = semester_of(day)
            end = min(through, semester_end)
            if state.principal > 0:
                try:
                    rate = _rate_for(day, regime, creditor_is_individual, rates)
                except MissingRate:
                    # Not yet published: no interest is counted for this semester; the
                    # statement says so (provisional) instead of a silent 0,00 €.
                    missing[semester_name(day)] = None
                    day = end + timedelta(days=1)
                    continue
                days = (end - day).days + 1
                divisor = _day_count(rates, day)
                amount = round_cents(state.principal * rate.percent * days / (100 * divisor))
                lines.append(
                    InterestLine(
                        state.invoice.number,
                        day,
                        end,
                        days,
                        state.principal,
                        rate.percent,
                        amount,
                        rate.basis,
                        rate.source,
                        divisor,
                    )
                )
                state.interest += amount
            day = end + timedelta(days=1)
        state.interest_from = day

    def check_late(before: date) -> None:
        """An invoice still unpaid at the end of its due date is late (L441-10 II, D441-5)."""
        for state in states:
            if not state.late_checked and state.invoice.due_date < before:
                state.late_checked = True
                state.late = state.principal > 0

    def apply(state: _State, payment_date: date, amount: Decimal, rule: str) -> Decimal:
        close(state, payment_date)
        to_interest = min(amount, state.interest_outstanding)
        to_principal = min(amount - to_interest, state.principal)
        if to_interest == 0 and to_principal == 0:
            return amount
        state.interest_paid += to_interest
        state.principal -= to_principal
        state.principal_paid += to_principal
        imputations.append(
            Imputation(payment_date, state.invoice.number, to_interest, to_principal, rule)
        )
        return amount - to_interest - to_principal

    for payment in sorted(payments, key=lambda p: p.date):
        if payment.date > as_of:
            notes.append(
                f"Paiement du {date_fr(payment.date)} ({amount_fr(payment.amount)}) postérieur à "
                "la date du décompte : non pris en compte."
            )
            continue
        check_late(payment.date)
        left = payment.amount
        if payment.invoice is not None:
            left = apply(
                by_number[payment.invoice],
                payment.date,
                left,
                "imputation choisie par le débiteur (C. civ. art. 1342-10 al. 1)",
            )
        if left > 0:
            left = _apply_by_default(states, payment.date, left, apply, close)
        unapplied += left

    check_late(as_of)
    indemnity_value = (
        _parameter(rates, "indemnite_forfaitaire_recouvrement") if (regime == "L441-10") else None
    )
    balances = []
    for state in states:
        close(state, as_of)
        indemnity = ZERO
        if indemnity_value is not None and state.late:
            value = indemnity_value.at(state.invoice.due_date + timedelta(days=1)).value
            indemnity = value if value is not None else ZERO
        balances.append(
            InvoiceBalance(
                state.invoice.number,
                state.invoice.due_date,
                state.invoice.amount_ttc,
                state.invoice.paid,
                state.principal_paid,
                state.principal,
                state.interest,
                state.interest_paid,
                state.interest_outstanding,
                indemnity,
            )
        )
    if unapplied > 0:
        notes.append(
            f"Trop-perçu de {amount_fr(unapplied)} non imputé : à restituer ou à compenser."
        )
    if missing:
        notes.append(
            "Décompte provisoire : taux non encore enregistré pour "
            + ", ".join(_semester_fr(name) for name in missing)
            + " ; les intérêts de cette période ne sont pas comptés. Un administrateur "
            "enregistre le taux publié (avec sa source) pour compléter le décompte."
        )
    return Statement(
        as_of,
        debtor_kind,
        regime,
        tuple(balances),
        tuple(lines),
        tuple(imputations),
        unapplied,
        tuple(notes),
        creditor_is_individual,
        tuple(missing),
    )


def _semester_fr(name: str) -> str:
    """'2026 H2' → 'le second semestre 2026'."""
    year, half = name.split(" H")
    return f"le {'premier' if half == '1' else 'second'} semestre {year}"


def _interest_start(invoice: Invoice, regime: str, mise_en_demeure: date | None) -> date | None:
    """First day of interest: the day after the due date (L441-10), or after the later of the
    due date and the mise en demeure (1231-6: a debt not yet due cannot be in default)."""
    if regime == "L441-10":
        return invoice.due_date + timedelta(days=1)
    if regime == "taux_legal" and mise_en_demeure is not None:
        return max(invoice.due_date, mise_en_demeure) + timedelta(days=1)
    return None


def _apply_by_default(
    states: Sequence[_State],
    payment_date: date,
    amount: Decimal,
    apply: _Apply,
    close: _Close,
) -> Decimal:
    """C. civ. 1342-10 al. 2: debts already due first, the oldest due first; debts due the same
    day share proportionally; then debts not yet due in the same order."""
    due = [s for s in states if s.invoice.due_date <= payment_date]
    not_due = [s for s in states if s.invoice.due_date > payment_date]
    for group_source, label in (
        (due, "dette échue la plus ancienne (C. civ. art. 1342-10 al. 2)"),
        (not_due, "dette non échue, après les dettes échues (C. civ. art. 1342-10 al. 2)"),
    ):
        for group in _same_due_date(group_source):
            if amount <= 0:
                return amount
            for state in group:
                close(state, payment_date)
            owed = [s for s in group if s.outstanding > 0]
            total = sum((s.outstanding for s in owed), ZERO)
            if not owed:
                continue
            if amount >= total or len(owed) == 1:
                for state in owed:
                    amount = apply(state, payment_date, amount, label)
                continue
            shares = [(amount * s.outstanding / total).quantize(CENT, ROUND_DOWN) for s in owed]
            rule = label + ", à proportion des dettes échues le même jour"
            left = amount
            for state, share in zip(owed, shares, strict=True):
                left -= share - apply(state, payment_date, share, rule)
            for state in owed:  # the cents the proportional shares left over
                if left <= 0:
                    break
                left = apply(state, payment_date, left, rule)
            amount = left
    return amount


def _same_due_date(states: Iterable[_State]) -> list[list[_State]]:
    groups: dict[date, list[_State]] = {}
    for state in states:
        groups.setdefault(state.invoice.due_date, []).append(state)
    return [groups[day] for day in sorted(groups)]
