from .views import comments, debates, ideas, one_off, processes, themes

app_name = "participation"
urlpatterns = [
    *processes.urlpatterns,
    *ideas.urlpatterns,
    *comments.urlpatterns,
    *debates.urlpatterns,
    *themes.urlpatterns,
    *one_off.urlpatterns,
]
