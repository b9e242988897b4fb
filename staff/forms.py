"""The intermediate forms of the staff actions."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DesignateForm(forms.Form):
    """The address to designate as the practice's administrator (it receives the invitation)."""

    email = forms.EmailField(label=_("Administrator email"), max_length=254)


class ReopenForm(forms.Form):
    """Why a submitted set-up is reopened (kept as the void reason of its waiver)."""

    reason = forms.CharField(label=_("Reason"), max_length=150, help_text=_("Kept with the voided waiver."))
