#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL and the uploaded files (MEDIA_ROOT:
# attachments, evidence photos, exports) together, as $BACKUP_DIR/<UTC timestamp>.dump (pg_dump
# custom format) and <same name>.media.tar.gz beside it. Both are readable by their owner only
# (they hold full ID numbers). Prints the dump's name; a restore takes both.
set -euo pipefail
umask 077
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup: DATABASE_URL is not PostgreSQL ($DATABASE_URL); copy var/db.sqlite3 instead" >&2; exit 2 ;;
esac
dir="${BACKUP_DIR:-var/backups}"
media="${MEDIA_ROOT:-var/media}"
mkdir -p "$dir"
chmod 700 "$dir"
file="$dir/$(date -u +%Y%m%dT%H%M%SZ).dump"
[ -e "$file" ] && file="${file%.dump}-$$.dump"
archive="${file%.dump}.media.tar.gz"
mkdir -p "$media"
tar -C "$media" -czf "$archive.partial" .
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
mv "$archive.partial" "$archive"
mv "$file.partial" "$file"   # last: a half-written backup never looks like one
echo "$file"
