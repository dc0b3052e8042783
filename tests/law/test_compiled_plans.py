"""`Engine.compute` (compiled plans, memos) gives byte for byte what the rule-by-rule reading
of the definitions gives (`Engine.compute_reference`), errors included, on random cases of
every procedure: events drawn from each procedure's own definitions, dates clustered so that
orders, weekends, holidays and versions all occur, every territory and distance extension, and courts or places a procedure refuses."""

from __future__ import annotations

import gc
import random
import re
import weakref
from datetime import date, timedelta
from decimal import Decimal

import msgspec
import pytest

from casefile.definitions import data_dir, load_engine, recorded_rates_file
from casefile.errors import InputError
from casefile.law.periods import Period
from casefile.law.procedures import Procedure
from casefile.law.schedule import (
    CaseFacts,
    Deadline,
    Engine,
    RecordedEvent,
    StartPoint,
    _Expiry,
    _new_deadline,
    _new_expiry,
    _new_schedule,
    order_warnings,
)

DEPARTMENTS = ["75", "69", "67", "57", "971", "972", "973", "974", "976", "978", "2A", "988"]
COURTS = ["tribunal_judiciaire", "tribunal_de_commerce", "commissaire_de_justice"]
RESIDENCES = [None, None, None, "etranger", "972", "75", "974", "987"]


def _value(rng: random.Random, kind: str, choices: tuple[str, ...]) -> object:
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "choice":
        return rng.choice(choices)
    if kind == "period":
        return rng.choice(["8 days", "15 days", "1 month"])
    if kind == "int":
        return rng.randrange(1, 5)
    if kind == "place":
        return rng.choice(["75", "972", "etranger", "974"])
    return "texte"


def _case(
    rng: random.Random, procedure: Procedure
) -> tuple[dict[str, RecordedEvent], CaseFacts, date | None]:
    base = date(rng.choice([2019, 2020, 2021, 2022, 2026, 2027]), rng.randrange(1, 13), 1)
    base += timedelta(days=rng.randrange(0, 28))
    keys = list(procedure.events)
    chosen = rng.sample(keys, rng.randrange(1, min(len(keys), 5) + 1))
    events: dict[str, RecordedEvent] = {}
    for key in chosen:
        definition = procedure.events[key]
        attributes: dict[str, object] = {}
        for name, attribute in (definition.attributes or {}).items():
            if rng.random() < 0.7:
                attributes[name] = _value(rng, attribute.type, attribute.choices)
        day = base + timedelta(days=rng.randrange(-20, 400))
        events[key] = RecordedEvent(key, day, attributes)  # type: ignore[arg-type]
    courts = procedure.courts or (None,)
    court = rng.choice([*courts, None]) if rng.random() < 0.9 else rng.choice(COURTS)
    facts = CaseFacts(
        court=court,
        court_department=rng.choice(DEPARTMENTS),
        debtor_residence=rng.choice(RESIDENCES),
    )
    today = base + timedelta(days=rng.randrange(0, 900)) if rng.random() < 0.3 else None
    return events, facts, today


def _outcome(compute, procedure: str, events, facts, today) -> bytes | str:
    try:
        return compute(procedure, events, facts, today).json_bytes()
    except InputError as error:
        return f"error: {error}"


@pytest.fixture(scope="module")
def engines() -> tuple[Engine, Engine]:
    load = lambda: load_engine(data_dir(), recorded_rates_file())  # noqa: E731
    fast = load()
    fast.specialise_after = 1  # every set of keys specialised at its first case
    return fast, load()


@pytest.mark.parametrize("seed", range(4))
def test_compiled_plans_equal_the_rule_by_rule_reading(engines, seed: int) -> None:
    fast, reference = engines
    rng = random.Random(seed)
    cases = []
    for _ in range(1500):
        procedure = rng.choice(sorted(fast.procedures))
        cases.append((procedure, *_case(rng, fast.procedures[procedure])))
    for _round in range(2):  # the second round reads the memos
        for procedure, events, facts, today in cases:
            expected = _outcome(reference.compute_reference, procedure, events, facts, today)
            assert _outcome(fast.compute, procedure, events, facts, today) == expected, (
                procedure,
                events,
                facts,
                today,
            )


def test_the_same_events_in_every_court_and_place_equal_the_reference(engines) -> None:
    """Schedules are memoised by plan, shared by every court and place with the same plan (a
    place's extension and a court's seat are left out of a plan none of whose rules takes the
    extension): the same events in every court and place give what the reference gives."""
    fast, reference = engines
    rng = random.Random(11)
    compared = 0
    for key, procedure in sorted(fast.procedures.items()):
        for _ in range(6):
            events, _facts, today = _case(rng, procedure)
            for court in (*(procedure.courts or (None,)), None):
                for department in DEPARTMENTS:
                    for residence in RESIDENCES[2:]:
                        facts = CaseFacts(
                            court=court, court_department=department, debtor_residence=residence
                        )
                        expected = _outcome(reference.compute_reference, key, events, facts, today)
                        got = _outcome(fast.compute, key, events, facts, today)
                        assert got == expected, (key, events, facts, today)
                        compared += 1
    assert compared > 1000


def test_every_plan_runs_generated_code_equal_to_the_step_loop() -> None:
    """Each procedure's plan, for every court and a place with and without an extension, is
    written as one generated function; on random cases it gives what the plan's step loop
    (`Engine._run_steps`, flags read per case) gives."""
    engine = load_engine(data_dir(), recorded_rates_file())
    rng = random.Random(7)
    checked = 0
    for key, procedure in sorted(engine.procedures.items()):
        for court in procedure.courts or (None,):
            for residence in (None, "etranger", "972"):
                facts = CaseFacts(court=court, court_department="69", debtor_residence=residence)
                plan = engine._plan(procedure, facts)
                run = engine._general_run(plan)
                assert run is not None, (key, court, residence)
                for _ in range(150):
                    events, _facts, today = _case(rng, procedure)
                    try:
                        engine.check_order(procedure, events)
                    except InputError:
                        with pytest.raises(InputError):
                            run(events, today)
                        continue
                    generated, warnings = run(events, today)
                    soft = order_warnings(procedure, events) if plan.soft else []
                    looped = engine._run_steps(plan, events, today, soft)
                    assert generated == looped, (key, events, today)
                    assert warnings == soft, (key, events, today)
                    checked += 1
    assert checked > 1000


def test_a_dropped_engine_is_freed_without_the_collector() -> None:
    """Generated plan functions reach their engine and plan through weak proxies: no cycle."""
    gc.disable()
    try:
        engine = load_engine(data_dir(), recorded_rates_file())
        events = {
            "ordonnance_rendue": RecordedEvent("ordonnance_rendue", date(2026, 3, 2)),
            "ordonnance_signifiee": RecordedEvent(
                "ordonnance_signifiee", date(2026, 4, 30), {"a_personne": True}
            ),
        }
        schedule = engine.compute("injonction_de_payer", events, CaseFacts(debtor_residence="972"))
        assert [d.key for d in schedule.deadlines] == ["opposition", "signification_ordonnance"]
        assert schedule.deadlines[0].due == date(2026, 6, 30)  # 1 month + 1 (art. 643)
        ref = weakref.ref(engine)
        del engine
        assert ref() is None
    finally:
        gc.enable()


def test_the_schedule_memo_tells_events_apart_by_key_date_and_typed_attributes() -> None:
    """The memo key holds each event's date (or, with attributes, a tuple of its date and typed
    attributes) and the event's own key when the mapping files it under another: an attribute
    `True` is not `1`, and an event is never read as another one with its date."""
    engine = load_engine(data_dir(), recorded_rates_file())
    reference = load_engine(data_dir(), recorded_rates_file())
    served = date(2026, 4, 30)
    rendered = RecordedEvent("ordonnance_rendue", date(2026, 3, 2))
    variants = [
        {"ordonnance_signifiee": RecordedEvent("ordonnance_signifiee", served, {"a_personne": v})}
        for v in (True, 1, "1", False, 0)
    ]
    # The mapping's key differs from the event's own (the plan reads the mapping; the missed
    # note names the event's key).
    variants.append({"ordonnance_signifiee": RecordedEvent("opposition_formee", served)})
    variants.append({"ordonnance_signifiee": RecordedEvent("ordonnance_signifiee", served)})
    for _round in range(2):
        for extra in variants:
            events = {"ordonnance_rendue": rendered, **extra}
            for facts in (CaseFacts(), CaseFacts(court_department="69", debtor_residence="972")):
                expected = _outcome(
                    reference.compute_reference, "injonction_de_payer", events, facts, None
                )
                got = _outcome(engine.compute, "injonction_de_payer", events, facts, None)
                assert got == expected, (events, facts)
    a = RecordedEvent("audience", date(2026, 1, 5))
    assert a == RecordedEvent("audience", date(2026, 1, 5))
    assert a != RecordedEvent("jugement_rendu", date(2026, 1, 5))
    assert hash(a) == hash(RecordedEvent("audience", date(2026, 1, 5)))
    assert RecordedEvent("x", a.date, {"n": True}) != RecordedEvent("x", a.date, {"n": 1})


def test_events_and_facts_compare_and_print_as_the_dataclasses_did() -> None:
    """Events (frozen Structs) leave their identity cache out of equality, hash and repr;
    facts are frozen, outside the collector, equal by value."""
    day = date(2026, 1, 5)
    asked, fresh = RecordedEvent("x", day, {"n": True}), RecordedEvent("x", day, {"n": True})
    asked._ident()
    assert asked == fresh and (asked != fresh) is False and hash(asked) == hash(fresh)
    assert asked != RecordedEvent("x", day, {"n": 1}) and RecordedEvent("x", day).attributes == {}
    assert (
        repr(asked)
        == "RecordedEvent(key='x', date=datetime.date(2026, 1, 5), attributes={'n': True})"
    )
    facts = CaseFacts(court="tribunal_judiciaire", claim_total=Decimal("10.00"))
    assert facts == CaseFacts(
        "tribunal_judiciaire", "75", None, Decimal("10.00")
    ) and not gc.is_tracked(facts)
    assert repr(CaseFacts()) == (
        "CaseFacts(court=None, court_department='75', debtor_residence=None, claim_total=None)"
    )
    with pytest.raises(AttributeError):
        asked.key = "y"  # type: ignore[misc]


def test_event_identities_keep_types_apart_and_ignore_attribute_order() -> None:
    day = date(2026, 1, 5)

    def event(**attributes: object) -> RecordedEvent:
        return RecordedEvent("x", day, attributes)  # type: ignore[arg-type]

    assert event(n=True)._ident() == (day, "n", True, True)
    assert event(n=1)._ident() == (day, "n", False, 1)
    distinct = [event(n=v) for v in (True, 1, "1", False, 0, "0", "True")]
    distinct.append(RecordedEvent("x", day))
    distinct.append(RecordedEvent("x", day + timedelta(days=1), {"n": True}))
    for i, one in enumerate(distinct):
        for other in distinct[i + 1 :]:
            assert one != other and one._ident() != other._ident(), (one, other)
    # Several attributes: by name, whatever the mapping's order.
    both = event(b="z", a=True)
    assert both == event(a=True, b="z") and hash(both) == hash(event(a=True, b="z"))
    assert both._ident() == (day, "a", True, True, "b", False, "z")
    assert both != event(a=1, b="z") and both != event(a=True)
    # A value of another type (never from `parse_event`) keeps the written identity: hashable.
    odd = event(n=[1])
    assert odd._ident() == "'x'2026-01-05(('n', [1]),)"
    assert odd == event(n=[1]) and hash(odd) == hash(event(n=[1])) and odd != event(n=(1,))


def test_the_engines_products_are_frozen_and_outside_the_collector() -> None:
    """Deadlines, start points, schedules and expiries are frozen Structs the collector never
    tracks (`gc=False`), nor the tuples and dicts holding only them; a deadline's equality,
    hash and repr leave out its JSON cache, as the frozen dataclass it was did."""
    day = date(2026, 1, 5)
    point = StartPoint("event", "audience", day)
    values = ("k", "l", day, point, Period(days=15), None, day, None, "a", "b", "s")
    values += ("pending", "c", "cpc", ("note",), None)
    deadline, same = _new_deadline(*values), Deadline(*values)  # type: ignore[arg-type]
    expiry = _new_expiry(day, day, None, ())
    schedule = _new_schedule("p", "t", (deadline,), ())
    held = [(deadline, same), {"k": expiry}, (schedule, point)]
    gc.collect()
    for made in (point, deadline, expiry, schedule, *held):
        assert not gc.is_tracked(made)
    for made in (point, deadline, expiry, schedule):
        with pytest.raises(AttributeError):
            setattr(made, msgspec.structs.fields(made)[0].name, "changed")
    assert same.json_bytes() == deadline.json_bytes()  # one cached, the other not
    assert deadline == same and (deadline != same) is False and hash(deadline) == hash(same)
    assert repr(deadline) == repr(same) and "_json" not in repr(deadline)
    assert repr(deadline).startswith("Deadline(key='k', label='l', due=datetime.date(2026, 1, 5)")
    moot = msgspec.structs.replace(same, status="moot", _json=None)
    assert moot != same and moot.json_bytes() != same.json_bytes()
    assert schedule == _new_schedule("p", "t", (same,), ())
    assert (expiry, point) == (_Expiry(day, day, None, ()), StartPoint("event", "audience", day))


def test_two_starts_on_one_day_pick_what_the_reading_of_the_rules_picks(engines) -> None:
    """The generated plans choose between two starts found on the same day without calling
    `Engine._pick`: "earliest" keeps the first start of the rule, "latest" (a period counted
    forward) the second unless only the first is certain; same bytes as the reference."""
    fast, reference = engines
    day = date(2026, 4, 30)
    rendered = RecordedEvent("ordonnance_rendue", date(2026, 3, 2))
    cases: list[tuple[str, dict[str, RecordedEvent], str, str]] = [
        # Opposition ("earliest"): served in person, and a first act in person the same day.
        (
            "injonction_de_payer",
            {
                "ordonnance_rendue": rendered,
                "ordonnance_signifiee": RecordedEvent(
                    "ordonnance_signifiee", day, {"a_personne": True}
                ),
                "premier_acte_a_personne": RecordedEvent("premier_acte_a_personne", day),
            },
            "opposition",
            "ordonnance_signifiee",
        ),
    ]
    for debtor, start in (("consommateur", "exigibilite"), ("professionnel", "exigibilite")):
        exigible = RecordedEvent("exigibilite", date(2024, 2, 29), {"debiteur": debtor})
        acknowledged = RecordedEvent("reconnaissance_dette", date(2024, 2, 29))
        for events in (
            {"exigibilite": exigible},
            {"exigibilite": exigible, "reconnaissance_dette": acknowledged},
        ):
            cases.append(("amiable", events, "prescription", start))
    for procedure, events, key, start in cases:
        for facts in (CaseFacts(), CaseFacts(court_department="972", debtor_residence="etranger")):
            for today in (None, date(2030, 1, 1)):
                expected = _outcome(reference.compute_reference, procedure, events, facts, today)
                assert _outcome(fast.compute, procedure, events, facts, today) == expected
        deadline = fast.compute(procedure, events).get(key)
        assert deadline is not None and deadline.start.date == events[start].date
    # With two events of one day, the prescription runs from the acknowledgment (the later
    # start of the rule, certain) when the debtor is a consumer: two years.
    consumer = cases[2][1]
    deadline = fast.compute("amiable", consumer).get("prescription")
    assert deadline is not None
    assert (deadline.start.key, deadline.due) == ("reconnaissance_dette", date(2026, 2, 28))


def _general_and_specialised(engine: Engine, procedure: Procedure, facts: CaseFacts, events, today):
    """The plan's general function and its function specialised by the events' keys, on the
    same case: (results, warnings) or the refusal's message, each."""
    plan = engine._plan(procedure, facts)
    keys = next(iter(events)) if len(events) == 1 else tuple(events)
    outcomes = []
    for run in (engine._general_run(plan), engine._specialised(plan, keys)):
        assert run is not None
        try:
            outcomes.append(run(events, today))
        except InputError as error:
            outcomes.append(f"error: {error}")
    return outcomes


def test_plans_specialised_by_the_recorded_keys_equal_the_general_function(engines) -> None:
    """A plan's function specialised by the keys of the recorded events (absent events folded
    away when written) gives what its general function gives: deadlines, warnings, refusals;
    whatever the mapping's order of the keys, with `today` or not."""
    fast, _reference = engines
    rng = random.Random(23)
    checked = 0
    for key, procedure in sorted(fast.procedures.items()):
        for _ in range(200):
            events, facts, today = _case(rng, procedure)
            if procedure.courts and facts.court not in (None, *procedure.courts):
                continue
            try:
                fast.place(facts.court_department, facts.debtor_residence)
            except InputError:
                continue
            reordered = dict(reversed(list(events.items())))
            for mapping in (events, reordered):
                general, specialised = _general_and_specialised(
                    fast, procedure, facts, mapping, today
                )
                assert specialised == general, (key, mapping, facts, today)
                checked += 1
    assert checked > 1500


def test_specialised_dispatch_in_compute_equals_the_reference() -> None:
    """`compute` dispatches on the keys of the events mapping: the same events in another
    order, events filed under another key, unknown keys (refused with the reference's message,
    every time, and never kept), `today` set, attribute values of an unexpected type; the
    first cases of a set of keys through the step loop, the next ones through its text."""
    fast = load_engine(data_dir(), recorded_rates_file())
    reference = load_engine(data_dir(), recorded_rates_file())
    rendered = RecordedEvent("ordonnance_rendue", date(2026, 3, 2))
    served = RecordedEvent("ordonnance_signifiee", date(2026, 4, 30), {"a_personne": True})
    late = RecordedEvent("opposition_formee", date(2026, 7, 20))
    cases: list[dict[str, RecordedEvent]] = [
        {"ordonnance_rendue": rendered, "ordonnance_signifiee": served},
        {"ordonnance_signifiee": served, "ordonnance_rendue": rendered},
        {"ordonnance_signifiee": served, "opposition_formee": late, "ordonnance_rendue": rendered},
        {"opposition_formee": late, "ordonnance_rendue": rendered, "ordonnance_signifiee": served},
        # filed under another key: the plan reads the mapping's key, the notes the event's
        {"ordonnance_rendue": rendered, "ordonnance_signifiee": late},
        {"ordonnance_signifiee": rendered},
        # unknown keys, alone or beside known ones
        {"inconnu": rendered},
        {"ordonnance_rendue": rendered, "inconnu": served},
        {"inconnu": served, "ordonnance_rendue": rendered, "opposition_formee": late},
        # attribute values of types `parse_event` never gives
        {
            "ordonnance_rendue": rendered,
            "ordonnance_signifiee": RecordedEvent(
                "ordonnance_signifiee", served.date, {"a_personne": [True]}
            ),
        },
        {
            "ordonnance_rendue": rendered,
            "ordonnance_signifiee": RecordedEvent(
                "ordonnance_signifiee", served.date, {"a_personne": {"x": 1}, "lieu": "972"}
            ),
        },
        {},
    ]
    facts_list = (CaseFacts(), CaseFacts(court_department="972", debtor_residence="etranger"))
    for _round in range(2):
        for events in cases:
            for facts in facts_list:
                for today in (None, date(2026, 5, 15), date(2027, 1, 4)):
                    expected = _outcome(
                        reference.compute_reference, "injonction_de_payer", events, facts, today
                    )
                    got = _outcome(fast.compute, "injonction_de_payer", events, facts, today)
                    assert got == expected, (events, facts, today)
    refused = _outcome(
        fast.compute, "injonction_de_payer", {"inconnu": rendered}, CaseFacts(), None
    )
    assert refused.startswith("error: ") and "inconnu" in refused
    for plan in fast._plans.values():
        assert all(
            "inconnu" not in ((keys,) if isinstance(keys, str) else keys) for keys in plan.runs
        )
        # one text per set of keys, whatever their order: the two orders share it
        assert ("ordonnance_rendue", "ordonnance_signifiee") in plan.runs
        assert ("ordonnance_signifiee", "ordonnance_rendue") in plan.runs


def test_specialised_functions_are_bounded(monkeypatch) -> None:
    """At most `SPECIALISED_TEXTS` texts compiled and `SPECIALISED_RUNS` functions bound; beyond,
    the cases run the plan's general function (same results)."""
    from casefile.law import schedule

    monkeypatch.setattr(schedule, "SPECIALISED_TEXTS", 2)
    monkeypatch.setattr(schedule, "SPECIALISED_RUNS", 3)
    fast = load_engine(data_dir(), recorded_rates_file())
    fast.specialise_after = 1
    reference = load_engine(data_dir(), recorded_rates_file())
    rng = random.Random(5)
    for _ in range(300):
        procedure = rng.choice(sorted(fast.procedures))
        events, facts, today = _case(rng, fast.procedures[procedure])
        expected = _outcome(reference.compute_reference, procedure, events, facts, today)
        assert _outcome(fast.compute, procedure, events, facts, today) == expected
    texts = [k for k in fast._plan_code if isinstance(k[-1], frozenset)]
    assert len(texts) == 2
    plans = {id(plan): plan for plan in fast._plans.values()}.values()
    assert sum(len(plan.runs) for plan in plans) <= 3
    assert fast._specialised_runs <= 3


def test_a_specialised_text_reads_only_the_recorded_events() -> None:
    """Specialised by the keys of an injonction's two usual events, the text reads those two
    with `events[key]`, tests no other event and no longer walks the rules they cannot start."""
    from casefile.law.plan_code import generated_source

    engine = load_engine(data_dir(), recorded_rates_file())
    procedure = engine.procedures["injonction_de_payer"]
    plan = engine._plan(procedure, CaseFacts())
    keys = list(procedure.events)
    general = generated_source(procedure, plan.steps, keys)
    recorded = frozenset({"ordonnance_rendue", "ordonnance_signifiee"})
    special = generated_source(procedure, plan.steps, keys, recorded)
    assert general is not None and special is not None
    assert "get = events.get" in general.text and "get = events.get" not in special.text
    loaded = dict(re.findall(r"(E\d+) = events\['(\w+)'\]", special.text))
    assert sorted(loaded.values()) == sorted(recorded)
    assert set(re.findall(r"\bE\d+\b", special.text)) == set(loaded)
    assert special.text.count("\n") < general.text.count("\n")


def test_a_specialised_text_writes_nothing_for_the_rules_its_events_cannot_start() -> None:
    """An assignation before the tribunal judiciaire with a hearing and a served judgment: the
    rules started by events not recorded (the defendant's constitution, the default judgment's
    service, the two-month versions of the filing) write no line in the text, not even an
    empty step; those the two events start are all there, and the cases give what the
    reading of the rules gives (below and in the random tests above)."""
    from casefile.law.plan_code import generated_source

    engine = load_engine(data_dir(), recorded_rates_file())
    procedure = engine.procedures["assignation_paiement"]
    facts = CaseFacts(court="tribunal_judiciaire")
    plan = engine._plan(procedure, facts)
    recorded = frozenset({"audience", "jugement_signifie"})
    special = generated_source(procedure, plan.steps, list(procedure.events), recorded)
    assert special is not None
    written = set(re.findall(r"results\['(\w+)'\] = dl", special.text))
    assert written == {"remise_au_greffe", "appel"}
    assert "pass" not in special.text.split()
    assert "found = []" not in special.text
    reference = load_engine(data_dir(), recorded_rates_file())
    for hearing in (date(2026, 3, 2), date(2026, 12, 24), date(2027, 5, 7)):
        events = {
            "audience": RecordedEvent("audience", hearing),
            "jugement_signifie": RecordedEvent("jugement_signifie", hearing + timedelta(days=45)),
        }
        for _ in range(engine.specialise_after + 1):
            got = engine.compute("assignation_paiement", events, facts)
        assert (
            got.json_bytes()
            == reference.compute_reference("assignation_paiement", events, facts).json_bytes()
        )
        assert [d.key for d in got.deadlines] == ["remise_au_greffe", "appel"]


def test_a_set_of_keys_is_specialised_at_its_nth_case_without_compiling_before() -> None:
    """The first cases of a set of keys run the plan's step loop (nothing compiled, not even
    the general function); the `specialise_after`-th compiles its text; a set met once never
    costs a compilation."""
    engine = load_engine(data_dir(), recorded_rates_file())
    reference = load_engine(data_dir(), recorded_rates_file())
    engine.specialise_after = 3
    day = date(2026, 3, 2)
    facts = CaseFacts()
    for n in range(5):
        events = {
            "ordonnance_rendue": RecordedEvent("ordonnance_rendue", day + timedelta(days=n)),
            "ordonnance_signifiee": RecordedEvent(
                "ordonnance_signifiee", day + timedelta(days=30 + n), {"a_personne": True}
            ),
        }
        expected = _outcome(reference.compute_reference, "injonction_de_payer", events, facts, None)
        assert _outcome(engine.compute, "injonction_de_payer", events, facts, None) == expected
        compiled = [k for k in engine._plan_code if isinstance(k[-1], frozenset)]
        assert len(compiled) == (0 if n < 2 else 1), n
    rare = {"requete_deposee": RecordedEvent("requete_deposee", day)}
    expected = _outcome(reference.compute_reference, "injonction_de_payer", rare, facts, None)
    assert _outcome(engine.compute, "injonction_de_payer", rare, facts, None) == expected
    assert len(engine._plan_code) == 1  # neither its text nor the general one


def _same_starts_with_and_without(procedure_key: str, make_events) -> None:
    """Cases from `make_events(rng)` (the same start dates with and without an event a rule
    reads as a flag), in both orders, through the specialised texts, the step loop and the
    plan's general text (all sharing the memos), give what the reading of the rules gives."""
    reference = load_engine(data_dir(), recorded_rates_file())
    for after in (1, 3):
        fast = load_engine(data_dir(), recorded_rates_file())
        fast.specialise_after = after
        procedure = fast.procedures[procedure_key]
        rng = random.Random(after)
        cases = []
        for _ in range(300):
            events = make_events(rng)
            facts = CaseFacts(
                court=rng.choice([None, *procedure.courts]),
                court_department=rng.choice(["75", "67", "972"]),
                debtor_residence=rng.choice([None, "etranger"]),
            )
            first = min(event.date for event in events.values())
            today = first + timedelta(days=rng.randrange(-30, 90)) if rng.random() < 0.3 else None
            cases.append((events, facts, today))
        for round_ in range(2):
            for events, facts, today in cases if round_ == 0 else reversed(cases):
                expected = _outcome(
                    reference.compute_reference, procedure.key, events, facts, today
                )
                got = _outcome(fast.compute, procedure.key, events, facts, today)
                assert got == expected, (events, facts, today)
                plan = fast._plan(procedure, facts)
                run = fast._general_run(plan)
                assert run is not None
                try:
                    results, warnings = run(events, today)
                except InputError as error:
                    assert f"error: {error}" == expected
                    continue
                schedule = fast._schedule(plan, results, warnings, events, facts)
                assert schedule.json_bytes() == expected, (events, facts, today)


def test_a_notice_rules_memo_serves_cases_with_and_without_the_notice() -> None:
    """The remise au greffe reads the date the hearing was obtained (a notice event): its
    deadline with that date unknown is kept under the start date alone, by every text of the
    rule (specialised with or without the notice event, general), the other flags under their
    tuple."""

    def make_events(rng: random.Random) -> dict[str, RecordedEvent]:
        hearing = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 40) * 70)
        events = {"audience": RecordedEvent("audience", hearing)}
        if rng.random() < 0.5:
            obtained = hearing - timedelta(days=rng.randrange(0, 40))
            events["date_audience_obtenue"] = RecordedEvent("date_audience_obtenue", obtained)
        if rng.random() < 0.3:
            events["jugement_signifie"] = RecordedEvent(
                "jugement_signifie", hearing + timedelta(days=rng.randrange(20, 90))
            )
        return events

    _same_starts_with_and_without("assignation_paiement", make_events)


def test_a_rules_memo_serves_cases_with_and_without_its_validity_event() -> None:
    """The formule exécutoire starts from the opposition's expiry and reads the ordonnance's
    date for its validity: its deadline from its first start with that date known is kept
    under the start date alone, with the date unknown under its tuple; cases with and without
    the ordonnance on the same significations give what the reading of the rules gives."""

    def make_events(rng: random.Random) -> dict[str, RecordedEvent]:
        served = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 40) * 50)
        events = {
            "ordonnance_signifiee": RecordedEvent(
                "ordonnance_signifiee", served, {"a_personne": rng.random() < 0.5}
            )
        }
        if rng.random() < 0.5:
            rendered = served - timedelta(days=rng.randrange(5, 60))
            events["ordonnance_rendue"] = RecordedEvent("ordonnance_rendue", rendered)
        return events

    _same_starts_with_and_without("injonction_de_payer", make_events)


def test_backward_expiries_of_the_generated_plans_equal_the_reading_of_the_rules() -> None:
    """A backward period's expiry as the generated plans build it (`_expirer`: the note of a
    last day not worked kept by territory and day, a distance extension's two readings kept by
    hearing and shared by every territory) is what `_expiry_of_total` writes, in every
    territory, for hearings on every day of two years (weekends and holidays included)."""
    from casefile.law.schedule import _expirer, _expiry_of_total, _Step, is_served

    engine = load_engine(data_dir(), recorded_rates_file())
    procedure = engine.procedures["assignation_paiement"]
    rules = [rule for rule in procedure.deadlines if rule.counting == "backward"]
    territories = {
        engine.place(department, None)[1].key: engine.place(department, None)[1]
        for department in DEPARTMENTS
        if department != "988"
    }
    checked = 0
    for rule in rules:
        for months in (0, 1, 2):
            total = rule.period.with_extra_months(months)
            for territory in territories.values():
                step = _Step(
                    rule=rule,
                    applied=None,
                    total=total,
                    only_event=None,
                    validity=False,
                    needs_due=False,
                    start_events=frozenset(),
                    event_starts_only=True,
                    expiries={},
                    deadlines={},
                )
                expire = _expirer(engine, step, territory)
                day = date(2026, 1, 1)
                while day < date(2028, 1, 1):
                    expected = _expiry_of_total("backward", total, day, territory, is_served(rule))
                    assert expire(day) == expected, (rule.ident, months, territory.key, day)
                    assert step.expiries[day] == expected
                    day += timedelta(days=1)
                    checked += 1
    assert checked > 10_000
    assert {is_served(rule) for rule in rules} == {True, False}  # both notes were compared


def test_dates_are_written_as_isoformat_writes_them() -> None:
    from casefile.law import wording

    day = date(2026, 3, 2)
    assert wording.iso_date(day) == "2026-03-02"
    assert wording.iso_date(date(1, 1, 1)) == "0001-01-01"
    assert wording.ISO_DATES[day] == "2026-03-02"
    for offset in range(1000):
        other = day + timedelta(days=offset)
        assert wording.iso_date(other) == other.isoformat()
