#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh: the dump into the PostgreSQL database named by
# DATABASE_URL, replacing what is there (pg_restore --clean, in one transaction: it all lands or
# nothing does), then the uploaded files beside it (<name>.media.tar.gz) into MEDIA_ROOT, which
# is swapped in whole only after the database restore succeeded.
# Usage: scripts/restore.sh [FILE.dump]   (default: the newest dump in $BACKUP_DIR, var/backups)
set -euo pipefail
umask 077
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
dir="${BACKUP_DIR:-var/backups}"
media="${MEDIA_ROOT:-var/media}"
file="${1:-}"
if [ -z "$file" ]; then
  file=$(ls -1 "$dir"/*.dump 2>/dev/null | sort | tail -n 1 || true)
fi
[ -n "$file" ] && [ -f "$file" ] || { echo "restore: no dump file found (give one: make restore BACKUP=...)" >&2; exit 2; }
archive="${file%.dump}.media.tar.gz"
staging=""
if [ -f "$archive" ]; then
  staging="$media.restoring.$$"
  rm -rf "$staging" && mkdir -p "$staging"
  tar -C "$staging" -xzf "$archive"
else
  echo "restore: no $archive beside the dump: uploaded files are left as they are" >&2
fi
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$file" || { [ -n "$staging" ] && rm -rf "$staging"; exit 1; }
if [ -n "$staging" ]; then
  old="$media.replaced.$$"
  [ -d "$media" ] && mv "$media" "$old"
  mv "$staging" "$media"
  rm -rf "$old"
fi
echo "restored $file"
