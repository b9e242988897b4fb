"""The product's URLs plus the two baselines of the load benchmark; used only with bench.settings, never in the product."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench_bare"),
    path("bench/stock-wizard/", views.StockWizard.as_view(), name="bench_stock_wizard"),
    path("", include("mips_portal.urls")),
]
