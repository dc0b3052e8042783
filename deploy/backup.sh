#!/bin/sh
# Back up casefile: the PostgreSQL database (pg_dump, custom format), then every evidence
# object (copied into a folder by `casefile evidence mirror`, each one re-hashed on the way).
# Run it with the installation's environment (CASEFILE_DATABASE_URL, CASEFILE_EVIDENCE_URL,
# CASEFILE_S3_*) where `casefile` and `pg_dump` are installed — the image has both:
#
#   docker compose -f deploy/compose.yaml run --rm -v /srv/backups:/backups migrate \
#       sh deploy/backup.sh /backups
#
# Writes DEST/casefile-YYYYMMDDTHHMMSSZ/{casefile.dump,evidence/,SHA256SUMS} and prints the
# folder's name. Restore with deploy/restore.sh (the drill: deploy/OPERATIONS.md).
set -eu

dest=${1:?usage: backup.sh DEST_DIR}
: "${CASEFILE_DATABASE_URL:?CASEFILE_DATABASE_URL is not set}"
case $CASEFILE_DATABASE_URL in
  postgresql://* | postgres://*) ;;
  *) echo "backup.sh: CASEFILE_DATABASE_URL is not a PostgreSQL URL (SQLite: copy var/)" >&2; exit 2 ;;
esac

dir=$dest/casefile-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dir"
case $dir in /*) ;; *) dir=$(cd "$dir" && pwd) ;; esac

# 1. The database first: every object a row refers to is already stored, so the copy of the
#    bucket made next holds all of them (an upload in between only adds an orphan).
pg_dump --format=custom --no-owner --no-privileges --file="$dir/casefile.dump" \
  "$CASEFILE_DATABASE_URL"

# 2. The evidence: objects are named by their SHA-256 and each is verified as it is copied.
casefile evidence mirror --to "file://$dir/evidence"

(cd "$dir" && sha256sum casefile.dump > SHA256SUMS)
echo "$dir"
