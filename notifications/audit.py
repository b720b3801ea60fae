"""Preferences are a person's own choice and are audited; notification rows are written by sweeps
in bulk, and each sweep run leaves one bulk audit entry (see ``services.sweep_run``)."""

from auditlog.registry import auditlog

from .models import Preference

auditlog.register(Preference)
