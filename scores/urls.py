from django.urls import path

from scores import views

app_name = "scores"
prefix = "years/<int:year>/practices/<int:practice_id>/scores/"
urlpatterns = [
    path(prefix + "measures/", views.measures, name="measures"),
    path(prefix + "activities/", views.activities, name="activities"),
    path(prefix + "activities/<int:attestation_id>/remove/", views.activity_remove, name="activity_remove"),
    path(prefix + "submission.json", views.submission_file, name="submission"),
]
