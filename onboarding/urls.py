from django.urls import path

from onboarding import views

app_name = "onboarding"
wizard = views.SetupWizard.as_view(url_name="onboarding:step", done_step_name="done")
urlpatterns = [
    path("years/<int:year>/practices/<int:practice_id>/setup/", wizard, name="start"),
    path("years/<int:year>/practices/<int:practice_id>/setup/summary/", views.setup_summary, name="summary"),
    path("years/<int:year>/practices/<int:practice_id>/setup/<str:step>/", wizard, name="step"),
]
