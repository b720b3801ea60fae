"""Forms of the accounts page and of the password pages (Django's, saving through
``staff.accounts``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledMixin

from . import accounts
from .models import Department, StaffStatus

ACCOUNT_STATES = [
    ("", _("All")),
    ("none", _("No account")),
    ("active", _("Account active")),
    ("disabled", _("Account disabled")),
]
STATIONED = [("", _("All")), ("yes", _("Stationed now")), ("no", _("Not stationed now"))]


class AccountFilterForm(StyledMixin, forms.Form):
    q = forms.CharField(label=_("Staff number or name"), required=False, max_length=50)
    department = forms.ModelChoiceField(
        label=_("home department"),
        queryset=Department.objects.order_by("code", "id"),
        required=False,
        empty_label=_("All departments"),
    )
    window = forms.CharField(label=_("Window code"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("duty status"), choices=[("", _("All")), *StaffStatus.choices], required=False
    )
    account = forms.ChoiceField(label=_("Account"), choices=ACCOUNT_STATES, required=False)
    stationed = forms.ChoiceField(label=_("Stationing"), choices=STATIONED, required=False)

    def people(self):
        data = self.cleaned_data
        return accounts.people_for_accounts(
            department=data.get("department"),
            window_code=data.get("window") or "",
            status=data.get("status") or "",
            account=data.get("account") or "",
            stationed=data.get("stationed") or "",
            q=data.get("q") or "",
        )


class AccountCreateForm(StyledMixin, forms.Form):
    RANDOM, TYPED = "random", "typed"
    mode = forms.ChoiceField(
        label=_("Initial passwords"),
        choices=[
            (RANDOM, _("A random password for each person, in a spreadsheet shown once")),
            (TYPED, _("One initial password I type for everyone")),
        ],
        initial=RANDOM,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("Initial password"), required=False, widget=forms.PasswordInput, strip=False
    )
    password2 = forms.CharField(
        label=_("Initial password (again)"),
        required=False,
        widget=forms.PasswordInput,
        strip=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.TYPED:
            if not data.get("password1"):
                self.add_error("password1", _("Type the initial password."))
            elif data.get("password1") != data.get("password2"):
                self.add_error("password2", _("The two passwords differ."))
        return data


class ReasonForm(StyledMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class HolderPasswordChangeForm(StyledMixin, auth_forms.PasswordChangeForm):
    """Django's form (old password, new twice, validators); saved through the service."""

    def save(self, commit=True):
        accounts.password_set_by_holder(
            user=self.user,
            password=self.cleaned_data["new_password1"],
            reason=str(_("Password changed by its holder")),
        )
        return self.user


class ResetLinkSetPasswordForm(StyledMixin, auth_forms.SetPasswordForm):
    def save(self, commit=True):
        accounts.password_set_by_holder(
            user=self.user,
            password=self.cleaned_data["new_password1"],
            reason=str(_("Password reset through an e-mailed link")),
        )
        return self.user


class LocalizedPasswordResetForm(StyledMixin, auth_forms.PasswordResetForm):
    """Django's reset form; the e-mail is written in the recipient's language (``User.language``),
    sent through the project's mail settings (``EMAIL_*``, with its timeout). A failure to send
    is logged by Django and the page says the same as for an unknown address."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from django.utils import translation

        language = getattr(context.get("user"), "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
