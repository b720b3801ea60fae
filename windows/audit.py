"""Which of this app's models the audit trail records."""

from auditlog.registry import auditlog

from .models import (
    AuthorizedItem,
    ChiefAppointment,
    ReplacementDemand,
    ServiceItem,
    StandIn,
    Stationing,
    TransferAttachment,
    TransferRequest,
    Vetting,
    Window,
)

auditlog.register(Window, m2m_fields={"service_items"})
auditlog.register(ServiceItem)
auditlog.register(Stationing)
auditlog.register(ChiefAppointment)
auditlog.register(AuthorizedItem)
auditlog.register(TransferRequest, exclude_fields=["updated_at", "version"])
auditlog.register(TransferAttachment)
auditlog.register(Vetting)
auditlog.register(ReplacementDemand)
auditlog.register(StandIn)
