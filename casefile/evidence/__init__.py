"""Evidence store: pièces hashed by SHA-256, immutable, in a local folder or on S3/MinIO.

One concept per module: `objects` (the content-addressed `ObjectStore` interface), `local` and
`s3` (its backends), `backends` (`open_store` from the settings), `faults` (a failing store for
tests), `sniff` (MIME type from the bytes), `names` (original and safe file names), `records`
(what the database must provide: `PieceRecords`), `memory` (its in-memory reference
implementation), `service` (the use cases), `bundle` (the hearing ZIP), `links` (expiring
downloads) and `errors`.
"""
