"""The Django admin, for superusers only (union staff use the staff pages)."""

from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from members.models import Credit, CreditImport, MemberProfile, Membership, ProfessionalName, Union, User, Work
from members.services.works import work_key


def _superuser_with_two_step(request) -> bool:
    """Superusers only, and only once two-step sign-in is on (as for every staff page)."""
    user = request.user
    return user.is_active and user.is_superuser and is_mfa_enabled(user)


# allauth's login in front, so two-step sign-in applies to the admin too. Replacing the default
# site's methods is what allauth documents; the stubs see methods, hence the ignores.
admin.site.has_permission = _superuser_with_two_step  # type: ignore[method-assign]
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Residuals portal administration"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_superuser", "is_active", "date_joined"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class ProfessionalNameInline(admin.TabularInline):
    model = ProfessionalName
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(MemberProfile)
class MemberProfileAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "user", "city", "country"]
    search_fields = ["legal_name", "user__email", "professional_names__name", "memberships__member_number"]
    inlines = [ProfessionalNameInline, MembershipInline]


@admin.register(Union)
class UnionAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "parent", "local_number", "default_category", "is_active"]
    list_filter = ["parent", "is_active"]
    search_fields = ["short_name", "name"]


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "work_type", "imdb_id", "isbn"]
    list_filter = ["work_type"]
    search_fields = ["title", "title_key", "imdb_id", "isbn", "eidr", "isan"]

    def save_model(self, request, obj, form, change):

        obj.title_key = work_key(
            title=obj.title,
            work_type=obj.work_type,
            series_title=obj.series_title,
            season=obj.season,
            episode=obj.episode,
        )
        super().save_model(request, obj, form, change)


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["work", "member", "job", "category"]
    list_filter = ["category", "job"]
    search_fields = ["work__title", "member__legal_name", "member__user__email"]
    raw_id_fields = ["member", "work"]


@admin.register(CreditImport)
class CreditImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "scope", "status", "rows_total", "credits_created", "error_count", "created_at"]
    list_filter = ["scope", "status"]
    readonly_fields = [field.name for field in CreditImport._meta.fields]
