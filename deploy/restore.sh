#!/bin/sh
# Restore a backup made by deploy/backup.sh into the database of CASEFILE_DATABASE_URL (a new,
# empty one) and the evidence store of CASEFILE_EVIDENCE_URL (its bucket already created, with
# object lock, as minio-init does), then bring the schema up to this release and verify every
# pièce. The restore is complete only when the final `casefile evidence verify` prints OK
# (exit status 0). The drill: deploy/OPERATIONS.md.
#
#   deploy/restore.sh /backups/casefile-20261130T020000Z
set -eu

dir=${1:?usage: restore.sh BACKUP_DIR}
: "${CASEFILE_DATABASE_URL:?CASEFILE_DATABASE_URL is not set}"
[ -f "$dir/casefile.dump" ] || { echo "restore.sh: $dir/casefile.dump not found" >&2; exit 2; }
case $dir in /*) ;; *) dir=$(cd "$dir" && pwd) ;; esac
(cd "$dir" && sha256sum --check --quiet SHA256SUMS)

tables=$(psql "$CASEFILE_DATABASE_URL" -Atc \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != 0 ]; then
  echo "restore.sh: the database of CASEFILE_DATABASE_URL already holds $tables table(s):" \
    "restore into a new, empty database" >&2
  exit 2
fi

# 1. The database, in one transaction: all of it or nothing.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$CASEFILE_DATABASE_URL" "$dir/casefile.dump"

# 2. The evidence objects (those already in the bucket are skipped).
casefile evidence mirror --from "file://$dir/evidence"

# 3. Migrations newer than the backup, if this release has any.
casefile init

# 4. Every pièce the database names is present and hashes to its name.
casefile evidence verify
