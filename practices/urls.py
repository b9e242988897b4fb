from django.urls import path

from practices import views

app_name = "practices"
urlpatterns = [
    path("", views.home, name="home"),
    path("years/<int:year>/", views.year_detail, name="year"),
    path("years/<int:year>/practices/<int:practice_id>/", views.dashboard, name="dashboard"),
]
