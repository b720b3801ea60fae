"""Upload → preview every row → confirm: the browser flow every spreadsheet import shares.

The uploaded file is kept (for an hour) under a signed, user-bound token between the preview and
the confirmation, so nothing is written until the user confirms a file whose every row is good.
Files nobody confirmed are deleted by an hourly task (``previews_purge``).
Subclasses name the form, template, import service and what happens on success.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

PREVIEW_FOLDER = "imports"
PREVIEW_MAX_AGE = timedelta(hours=1)  # the signed token's lifetime: older files are unreachable


ERRORS_SHOWN = 200  # row errors kept for the page; all are counted


@dataclass
class ImportReport:
    """What a check of a file of rows found, all counted and the first ``ERRORS_SHOWN`` row
    errors kept (row number, message); a file error means no row could be read. A concrete
    import adds its own counts."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    file_errors: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_count

    def add_error(self, row: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_SHOWN:
            self.errors.append((row, message))


def previews_purge(*, older_than: timedelta = PREVIEW_MAX_AGE) -> int:
    """Delete uploaded files kept for a preview that nobody confirmed (they hold full ID
    numbers). Returns how many were deleted; safe to run at any time and twice."""
    try:
        _folders, names = default_storage.listdir(PREVIEW_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    deleted = 0
    for name in names:
        path = f"{PREVIEW_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # confirmed (and deleted) meanwhile
            continue
    return deleted


class TwoStepImportView(View):
    form_class: ClassVar[type]
    template_name: ClassVar[str]
    salt: ClassVar[str]
    restart_url_name: ClassVar[str]
    file_error: ClassVar[type[Exception]] = ValueError
    # import_file(actor=..., content=..., filename=..., commit=...) -> result with .ok, .committed
    import_file: ClassVar[Callable[..., Any]]

    def preview_context(self, result) -> dict[str, Any]:
        return {}

    def succeeded(self, request, result, filename: str) -> HttpResponse:
        raise NotImplementedError

    def get(self, request):
        return render(request, self.template_name, {"form": self.form_class()})

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            result = type(self).import_file(
                actor=request.user, content=content, filename=upload.name, commit=False
            )
        except self.file_error as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, {"form": form}, status=400)
        token = None
        if result.ok:
            path = default_storage.save(
                f"{PREVIEW_FOLDER}/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}",
                ContentFile(content),
            )
            # The preview's version of the records the file changes, where the import keeps one:
            # a confirm after someone changed them refuses (roster_import).
            data = {"path": path, "name": upload.name, "user": request.user.pk}
            if getattr(result, "version", None) is not None:
                data["version"] = result.version
            token = signing.dumps(data, salt=self.salt)
        context = {
            "form": self.form_class(),
            "result": result,
            "token": token,
            "filename": upload.name,
            **self.preview_context(result),
        }
        return render(request, self.template_name, context, status=200 if result.ok else 400)

    def confirm(self, request):
        try:
            data = signing.loads(request.POST["token"], salt=self.salt, max_age=3600)
        except signing.BadSignature:
            data = None
        if not data or data["user"] != request.user.pk or not default_storage.exists(data["path"]):
            messages.error(request, _("The preview has expired; please upload the file again."))
            return redirect(self.restart_url_name)
        with default_storage.open(data["path"], "rb") as handle:
            content = handle.read()
        versioned = {"version": data["version"]} if "version" in data else {}
        result = type(self).import_file(
            actor=request.user, content=content, filename=data["name"], commit=True, **versioned
        )
        default_storage.delete(data["path"])
        if not result.committed:
            context = {"form": self.form_class(), "result": result, "filename": data["name"]}
            return render(request, self.template_name, context, status=400)
        return self.succeeded(request, result, data["name"])
