"""One action of a reminder scenario (relance, issue 17 item 1): an e-mail to the debtor, a
letter to send, a call to make. `key` (`case:scenario:level`) is unique: the daily job creates
each action once, however often it runs.

`status`: `a_envoyer` (a letter waiting in the "À envoyer" list), `a_appeler` (a call in the
"Appels à passer" list), `envoyee` (e-mail accepted by the server, or letter marked sent),
`faite` (call made, its outcome recorded), `echec` (could not be carried out: `message` says why
in French; nothing reached the debtor, so it holds the scenario until it is tried again),
`annulee` (the scenario stopped before it was carried out: `message` says why).
`done_on` is the day it was carried out (or failed): the next level counts from the day it was
carried out, never from a failure. `attempts` counts the e-mail's sends tried; `retry_on` is the
day the daily run tries a temporarily refused e-mail again by itself (None: it waits for a
person's « Réessayer »)."""

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case
from casefile.store.tables.document import Document


class DunningAction(Table, tablename="dunning_actions"):
    id = Serial(primary_key=True)
    key = Varchar(length=200, unique=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    scenario = Varchar(length=60)
    level = Varchar(length=60)
    position = Integer(default=0)  # the level's rank in its scenario, from 1
    channel = Varchar(length=12)  # email | courrier | telephone
    due_on = Date()
    status = Varchar(length=12)
    recipient = Varchar(length=254, default="")  # the e-mail address or the phone number used
    message = Text(default="")  # why it failed or was cancelled (French)
    outcome = Text(default="")  # the call's outcome, or the letter's tracking number
    document = ForeignKey(references=Document, null=True, on_delete=OnDelete.set_null)
    letter_on = Date(null=True, default=None)  # the date the letter bears (rendered that day)
    message_id = Varchar(length=250, default="")
    created_at = Timestamptz()
    done_on = Date(null=True, default=None)
    done_by = Varchar(length=150, default="")
    attempts = Integer(default=0)
    retry_on = Date(null=True, default=None)
