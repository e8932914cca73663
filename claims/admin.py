"""The Django admin for claims, for superusers (members/admin.py limits the site to them).

Claims, their events and evidence are shown read-only: a claim changes state only through
claims.services.claims.transitions.claim_transition, and events are append-only. Verifier assignments
(which unions a verifier works for) are edited here.
"""

from django.contrib import admin

from claims.models import Claim, ClaimEvent, Evidence, VerifierAssignment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    # A tuple: one list cannot be both a `fields` and a `readonly_fields` to the stubs (invariance).
    fields = readonly_fields = ("created_at", "actor", "from_status", "to_status", "reason", "message", "ip_address")
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "member",
        "credit",
        "training_set",
        "status",
        "best_score",
        "submitted_at",
        "decided_at",
        "assigned_to",
    ]
    list_filter = ["status", "training_set", "best_method"]
    search_fields = ["member__user__email", "member__legal_name", "credit__work__title"]
    list_select_related = ["member__user", "credit__work", "training_set", "assigned_to"]
    raw_id_fields = ["member", "credit", "training_set", "assigned_to", "entries"]
    inlines = [ClaimEventInline]


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdmin):
    list_display = ["claim", "created_at", "actor", "from_status", "to_status", "reason", "ip_address"]
    list_filter = ["to_status", "actor_is_staff"]
    search_fields = ["claim__id", "actor__email"]
    list_select_related = ["claim", "actor"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    # The stored file is not linked: staff open evidence on the review page, which checks who may see it.
    list_display = ["original_name", "claim", "kind", "content_type", "size", "created_at"]
    list_select_related = ["claim"]
    exclude = ["file"]
    search_fields = ["original_name", "sha256"]


@admin.register(VerifierAssignment)
class VerifierAssignmentAdmin(admin.ModelAdmin):
    list_display = ["verifier", "union"]
    list_filter = ["union"]
    list_select_related = ["verifier", "union"]
    autocomplete_fields = ["verifier"]
    search_fields = ["verifier__email", "union__short_name"]
