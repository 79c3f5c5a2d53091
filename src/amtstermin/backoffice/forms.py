from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from amtstermin.booking import contact


class StaffLoginForm(AuthenticationForm):
    """Django's login form; django-axes counts its failures and locks out after the limit."""


class OneTimeCodeForm(forms.Form):
    """The six digits an authenticator app shows; spaces (as apps group them) are ignored."""

    message = _("Enter the six-digit code from your authenticator app.")
    code = forms.CharField(max_length=20, strip=True, error_messages={"required": message})

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(self.message)
        return code


class CitizenForm(forms.Form):
    """The caller's details for a phone or counter booking, by the rules of ``contact`` that
    the booking pages and the API use too; the e-mail address is optional here."""

    name = forms.CharField(strip=False, required=False)
    email = forms.CharField(strip=False, required=False)
    phone = forms.CharField(strip=False, required=False)
    booked_for = forms.CharField(strip=False, required=False)

    def clean_name(self) -> str:
        return contact.clean_name(self.cleaned_data["name"])

    def clean_email(self) -> str:
        return contact.clean_email(self.cleaned_data["email"], required=False)

    def clean_phone(self) -> str:
        return contact.clean_phone(self.cleaned_data["phone"])

    def clean_booked_for(self) -> str:
        return contact.clean_name(self.cleaned_data["booked_for"], required=False)
