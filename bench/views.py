"""Baselines served by the same gunicorn as the product: a bare authenticated view and a stock formtools wizard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.utils.decorators import method_decorator
from formtools.wizard.views import SessionWizardView

from onboarding.documents import document_render
from onboarding.steps import STEPS

# The stock wizard's page: the portal's layout and the same USWDS field rendering as the product's steps.
STOCK_PAGE = engines["django"].from_string("""{% extends "base.html" %}{% load uswds %}
{% block title %}Stock wizard{% endblock %}
{% block content %}
<h1>Step {{ wizard.steps.step1 }} of {{ wizard.steps.count }}</h1>
{% error_summary wizard.form %}
<form method="post" class="usa-form usa-form--large" novalidate>{% csrf_token %}
  {{ wizard.management_form }}
  {% for field in wizard.form %}{% uswds_field field %}{% endfor %}
  <button type="submit" class="usa-button">Continue</button>
</form>
{% endblock %}""")


@login_required
def bare(request):
    """Session and user only: the floor every signed-in page stands on."""
    return HttpResponse(f"signed in as user {request.user.pk}\n", content_type="text/plain")


@method_decorator(login_required, name="dispatch")
class StockWizard(SessionWizardView):
    """formtools' SessionWizardView over the product's step forms, keeping answers in the session only."""

    form_list = [(step.name, step.form) for step in STEPS]

    def get_form_kwargs(self, step=None):
        if step == "baa":
            return {"rendered": document_render("baa", covered_entity="Bench Physical Therapy")}
        if step == "waiver":
            rendered = document_render("waiver", practice_name="Bench Physical Therapy", year=2021)
            return {"rendered": rendered, "holder_first": "Ada", "holder_last": "Lovelace"}
        return {}

    def render_to_response(self, context, **response_kwargs):
        return HttpResponse(STOCK_PAGE.render(context, self.request))

    def done(self, form_list, **kwargs):
        return HttpResponse("done\n", content_type="text/plain")
