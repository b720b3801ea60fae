"""Evidence files: type and size limited, content sniffed, stored under a random name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..conf import conf
from ..models import Evidence

MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF",),
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "video/mp4": (),  # checked by the "ftyp" box below
}


def validate_upload(upload: Any) -> str:
    """Return the content type of an acceptable file; raise ValidationError otherwise."""
    name = getattr(upload, "name", "") or ""
    suffix = Path(name).suffix.lower()
    types = conf("EVIDENCE_TYPES")
    if suffix not in types:
        raise ValidationError(
            _("%(name)s: only these file types are accepted: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(types))}
        )
    limit = conf("EVIDENCE_MAX_BYTES")
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    content_type = types[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signatures = MAGIC.get(content_type, ())
    ok = head[4:8] == b"ftyp" if content_type == "video/mp4" else head.startswith(signatures)
    if not ok:
        raise ValidationError(
            _("%(name)s does not look like a %(suffix)s file.") % {"name": name, "suffix": suffix}
        )
    return content_type


def attach(
    *, actor: Any, files: list[Any], entry: Any = None, appeal: Any = None
) -> list[Evidence]:
    """Validate every file first, then store them all (none is stored if one is bad)."""
    checked = [(upload, validate_upload(upload)) for upload in files]
    stored = []
    for upload, content_type in checked:
        item = Evidence(
            entry=entry,
            appeal=appeal,
            original_name=Path(upload.name).name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        item.file.save(upload.name, upload, save=False)
        item.save()
        stored.append(item)
    return stored
