"""Each distinct deadline explanation stored once (issue 14 item 5), keyed by its digest
(`casefile.store.explanations.digest_of`: the first 16 bytes of the SHA-256 of its JSON text);
deadline rows hold the digest. The engine shares its deadlines between cases, so there are far
fewer distinct explanations than deadline rows.

`body` is the JSON text exactly as `Deadline.json_bytes()` gives it, in a `text` column (no
parsing when written); declared JSON here so that `output(load_json=True)` decodes it when read
through a deadline (`DeadlineRecord.digest.body`). Written only by `explanations.store` (raw
SQL); a body no deadline refers to any more is removed by `explanations.collect_garbage`.
"""

from piccolo.columns import JSON, Bytea
from piccolo.table import Table


class ExplanationText(Table, tablename="explanations"):
    digest = Bytea(primary_key=True)
    body = JSON()
