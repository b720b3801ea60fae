from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        # Registers models with the audit trail, and this app's reminder sweeps.
        from . import audit, people, reminders, roster_exports  # noqa: F401  (its job kind: core.jobs)
        from .panels import register_staff_panel
        from .permissions import Perm

        register_staff_panel(
            key="account",
            order=90,
            template="staff/_account_panel.html",
            context=_account_panel,
            perm=Perm.ACCOUNT_MANAGE,
        )


def _account_panel(user, person):
    """The person's login (already read with the person: ``staff_get_for_user``)."""
    return {"person": person, "account": person.user}
