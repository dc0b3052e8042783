"""`casefile check` for the reminder scenarios (`procedures/relances.toml`): beyond the strict
decoding, every letter is a template of the manifest, every event one of the amicable procedure,
every message uses only its fields, and no message for consumers says what the law forbids."""

from __future__ import annotations

from casefile import definitions
from casefile.documents.manifest import load_manifest
from casefile.law.dunning import Dunning, consumer_problems
from casefile.notify.debtor_mail import template_problems


def dunning_problems(dunning: Dunning | None = None) -> list[str]:
    dunning = dunning or definitions.dunning()
    problems = template_problems(dunning)
    manifest = load_manifest()
    amicable = definitions.engine().procedure("amiable")
    for key, scenario in dunning.scenarios.items():
        for level in scenario.levels:
            where = f"{dunning.origin}: scenarios.{key}.{level.key}"
            if level.channel == "courrier" and level.template not in manifest.templates:
                problems.append(
                    f"{where}: template {level.template!r} is not in document_templates/"
                    "manifest.toml"
                )
            if level.event and level.event not in amicable.events:
                problems.append(
                    f"{where}: event {level.event!r} is not an event of procedures/amiable.toml"
                )
    problems.extend(f"{dunning.origin}: {p}" for p in consumer_problems(dunning))
    return problems
