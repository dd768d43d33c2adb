"""HTTP views of participation, one module per feature; each module has its `urlpatterns`."""
