from django.urls import path

from .views import matches, staff, training_sets

app_name = "claims"
urlpatterns = [
    path("training-sets/", training_sets.training_set_list, name="training_set_list"),
    path("training-sets/<int:pk>/", training_sets.training_set_detail, name="training_set_detail"),
    path("matches/<int:pk>/confirm/", matches.match_confirm, name="match_confirm"),
    path("matches/<int:pk>/dismiss/", matches.match_dismiss, name="match_dismiss"),
    path("staff/training-sets/new/", staff.training_set_form, name="training_set_create"),
    path("staff/training-sets/<int:pk>/edit/", staff.training_set_form, name="training_set_edit"),
    path("staff/training-sets/<int:pk>/manifests/new/", staff.manifest_upload_view, name="manifest_upload"),
    path("staff/training-sets/<int:pk>/matches.csv", staff.match_export, name="match_export"),
    path("staff/manifests/<int:pk>/", staff.manifest_detail, name="manifest_detail"),
    path("staff/manifests/<int:pk>/cancel/", staff.manifest_cancel, name="manifest_cancel"),
]
