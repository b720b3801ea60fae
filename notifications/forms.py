from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import registry


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of notifications and e-mail"), choices=())
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["email_kinds"].choices = [(k.key, k.label) for k in registry.kinds()]
