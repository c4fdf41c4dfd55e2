"""The few Django forms: a new case and a new account. Interview screens are not Django forms:
their questions come from the core (``refugio.interview``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from refugio_web.models import Role, User


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
        help_texts = {
            "username": _(
                "Letters, digits and @ . + - _ only. For an applicant, one that names nobody "
                "(a number, for example): the list of accounts is not encrypted."
            ),
        }

    def clean(self) -> dict[str, object]:
        cleaned: dict[str, object] = super().clean() or {}
        # The user table is in clear (only cases are sealed): an applicant's account must not
        # say who applied (8 CFR 208.6(b); docs/threat-model.md R1). No name, and a user name
        # the office makes up.
        if cleaned.get("role") == Role.APPLICANT:
            for name in ("first_name", "last_name"):
                if cleaned.get(name):
                    self.add_error(name, _("Leave the names of an applicant's account empty."))
        return cleaned

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password
