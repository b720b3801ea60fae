#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into the PostgreSQL database named by DATABASE_URL,
# replacing what is there (pg_restore --clean), in one transaction: it all lands or nothing does.
# Usage: scripts/restore.sh [FILE]   (default: the newest dump in $BACKUP_DIR, var/backups)
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
dir="${BACKUP_DIR:-var/backups}"
file="${1:-}"
if [ -z "$file" ]; then
  file=$(ls -1 "$dir"/*.dump 2>/dev/null | sort | tail -n 1 || true)
fi
[ -n "$file" ] && [ -f "$file" ] || { echo "restore: no dump file found (give one: make restore BACKUP=...)" >&2; exit 2; }
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$file"
echo "restored $file"
