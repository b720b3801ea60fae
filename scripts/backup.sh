#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL to $BACKUP_DIR/<UTC timestamp>.dump
# (pg_dump custom format: compressed, restorable table by table). Prints the file written.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup: DATABASE_URL is not PostgreSQL ($DATABASE_URL); copy var/db.sqlite3 instead" >&2; exit 2 ;;
esac
dir="${BACKUP_DIR:-var/backups}"
mkdir -p "$dir"
file="$dir/$(date -u +%Y%m%dT%H%M%SZ).dump"
[ -e "$file" ] && file="${file%.dump}-$$.dump"
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file"   # a half-written dump never looks like a backup
echo "$file"
