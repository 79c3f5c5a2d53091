from django.contrib.auth.forms import AuthenticationForm


class StaffLoginForm(AuthenticationForm):
    """Django's login form; django-axes counts its failures and locks out after the limit."""
