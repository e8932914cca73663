from django.urls import path

from members.views import credits, home, imports, memberships, profile, staff

app_name = "members"
urlpatterns = [
    path("", home.home, name="home"),
    path("account/security/", home.account_security, name="account_security"),
    path("profile/", profile.profile_edit, name="profile"),
    path("profile/statement-details/", profile.statement_details_edit, name="statement_details"),
    path("memberships/add/", memberships.membership_add, name="membership_add"),
    path("memberships/<int:pk>/edit/", memberships.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/delete/", memberships.membership_delete, name="membership_delete"),
    path("credits/", credits.credit_list, name="credit_list"),
    path("credits/add/", credits.credit_add, name="credit_add"),
    path("credits/<int:pk>/edit/", credits.credit_edit, name="credit_edit"),
    path("credits/<int:pk>/delete/", credits.credit_delete, name="credit_delete"),
    path("credits/works/search/", credits.work_search, name="work_search"),
    path("credits/works/<int:pk>/pick/", credits.work_pick, name="work_pick"),
    path("credits/works/new/", credits.work_new, name="work_new"),
    path("credits/import/", imports.member_import, name="credit_import"),
    path("credits/import/<int:pk>/", imports.member_import_detail, name="credit_import_detail"),
    path("credits/export.csv", imports.member_export, name="credit_export"),
    path("staff/members/", staff.member_search, name="staff_member_search"),
    path("staff/members/<int:pk>/", staff.member_detail, name="staff_member_detail"),
    path("staff/imports/", imports.staff_import, name="staff_credit_import"),
    path("staff/imports/<int:pk>/", imports.staff_import_detail, name="staff_credit_import_detail"),
]
