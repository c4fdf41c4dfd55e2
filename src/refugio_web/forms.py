"""The few Django forms: a new case and a new account. Interview screens are not Django forms:
their questions come from the core (``refugio.interview``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from refugio_web.models import User


class CaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=60,
        help_text=_("Your office's reference for this case. Do not use the applicant's name."),
    )


class MemberForm(forms.ModelForm):  # type: ignore[type-arg]
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters. Give it to the person by a safe channel."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "role"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password
