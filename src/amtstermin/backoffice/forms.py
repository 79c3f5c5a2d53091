from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
