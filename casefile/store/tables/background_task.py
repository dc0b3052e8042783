"""Work a user asked for that runs in the background (issue 15: large imports and evidence
bundles): one row per distinct request, keyed by what makes it the same request (the case, its
pièces and the format for a bundle; the file's hash and the options for an import), so asking
twice returns the same task and its result instead of doing the work twice. The result's bytes
(the bundle, the uploaded file) live in the exports store, named by their SHA-256."""

from piccolo.columns import JSON, BigInt, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class BackgroundTask(Table, tablename="background_tasks"):
    id = Serial(primary_key=True)
    key = Varchar(length=300, unique=True)  # "<kind>:<what makes it the same request>"
    kind = Varchar(length=20)  # bundle | import
    status = Varchar(length=12)  # todo | running | done | failed
    requested_by = Varchar(length=100)  # the user it runs as
    case_id = Integer(null=True, default=None)
    label = Varchar(length=300)
    params = JSON(default={})
    result = JSON(default={})
    error = Text(default="")
    attempts = Integer(default=0)
    output_sha256 = Varchar(length=64, default="")
    output_size = BigInt(default=0)
    output_name = Varchar(length=300, default="")
    output_mime = Varchar(length=100, default="")
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
