"""System clients, managed by the center (issue #18): the list with each client's scopes in words,
create (the token is shown once, on the next page), replace the token, revoke with a reason.
Every action goes through ``core.system_clients`` and is audited there."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import StyledForm
from core.models import SystemClient, SystemClientKind
from core.scopes import scope_choices, scope_label
from core.system_clients import client_create, client_revoke, client_rotate
from staff.permissions import Perm, permission_required

SESSION_KEY = "portal.system_client_token"  # {"client": pk, "token": raw}: read once


class ClientForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SystemClientKind.choices)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("May"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices()


class RevokeForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )


def _keep_token(request, client: SystemClient, raw: str) -> None:
    request.session[SESSION_KEY] = {"client": client.pk, "token": raw}


@permission_required(Perm.SYSTEM_CLIENT_MANAGE)
def client_list(request):
    clients = list(SystemClient.objects.select_related("created_by").order_by("name", "id"))
    for client in clients:
        client.scope_labels = [scope_label(s) for s in client.scopes or []]
    return render(request, "portal/system_clients.html", {"clients": clients})


@permission_required(Perm.SYSTEM_CLIENT_MANAGE)
def client_new(request):
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, raw = client_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            _keep_token(request, client, raw)
            return redirect("portal:client_token", client.pk)
    return render(request, "portal/system_client_form.html", {"form": form})


@permission_required(Perm.SYSTEM_CLIENT_MANAGE)
def client_token(request, pk):
    """The token just issued, shown this once: reloading the page shows it no more."""
    client = get_object_or_404(SystemClient, pk=pk)
    kept = request.session.get(SESSION_KEY) or {}
    token = None
    if kept.get("client") == client.pk:
        token = kept["token"]
        del request.session[SESSION_KEY]
    return render(request, "portal/system_client_token.html", {"client": client, "token": token})


@permission_required(Perm.SYSTEM_CLIENT_MANAGE)
@require_POST
def client_rotate_view(request, pk):
    client = get_object_or_404(SystemClient, pk=pk)
    if not client.is_active:
        messages.error(request, _("A revoked client gets no new token."))
        return redirect("portal:client_list")
    raw = client_rotate(actor=request.user, client=client)
    _keep_token(request, client, raw)
    return redirect("portal:client_token", client.pk)


@permission_required(Perm.SYSTEM_CLIENT_MANAGE)
def client_revoke_view(request, pk):
    client = get_object_or_404(SystemClient, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client_revoke(actor=request.user, client=client, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("%(name)s is revoked: its token is refused.") % {"name": client.name}
        )
        return redirect("portal:client_list")
    return render(request, "portal/system_client_revoke.html", {"client": client, "form": form})
