"""URLs the plugin mounts under ``/api/competency/`` in the LMS and Studio."""
app_name = "competency_plugin"

urlpatterns = []
