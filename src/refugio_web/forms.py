"""The few Django forms: a new case, a new account, a temporary password, a password change.
Interview screens are not Django forms: their questions come from the core
(``refugio.interview``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
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


class TemporaryPasswordForm(forms.Form):
    """A password an admin gives a colleague (who must change it at the next login): the same
    validators as any password, measured against that colleague's account."""

    password = forms.CharField(strip=False, max_length=4096, widget=forms.PasswordInput)

    def __init__(self, person: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password, self.person)
        return password


class NewPasswordForm(PasswordChangeForm):
    """Django's password change, refusing the current password as the new one (a temporary
    password given by an admin must really be replaced)."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        old, new = cleaned.get("old_password"), cleaned.get("new_password2")
        if old and new and old == new:
            self.add_error("new_password2", _("Choose a password other than the current one."))
        return cleaned
