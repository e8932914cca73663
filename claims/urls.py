from django.urls import path

from claims.views import dashboard
from claims.views.claims import matches, member_claims, verification
from claims.views.discovery import manifests, training_sets
from claims.views.residuals import pools, statement_verify, statements

app_name = "claims"
urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("training-sets/", training_sets.training_set_list, name="training_set_list"),
    path("training-sets/<int:pk>/", training_sets.training_set_detail, name="training_set_detail"),
    path("matches/<int:pk>/confirm/", matches.match_confirm, name="match_confirm"),
    path("matches/<int:pk>/dismiss/", matches.match_dismiss, name="match_dismiss"),
    # A member's claims
    path("claims/", member_claims.claim_list, name="claim_list"),
    path("claims/new/", member_claims.claim_new, name="claim_new"),
    path("claims/<int:pk>/", member_claims.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/submit/", member_claims.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/withdraw/", member_claims.claim_withdraw, name="claim_withdraw"),
    path("claims/<int:pk>/restart/", member_claims.claim_restart, name="claim_restart"),
    path("claims/<int:pk>/answer/", member_claims.claim_answer, name="claim_answer"),
    path("claims/<int:pk>/evidence/", member_claims.evidence_upload, name="evidence_upload"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/", member_claims.evidence_download, name="evidence_download"),
    # Verification (staff)
    path("staff/claims/", verification.queue, name="verify_queue"),
    path("staff/claims/dashboard/", verification.dashboard, name="verify_dashboard"),
    path("staff/claims/export.csv", verification.export, name="verify_export"),
    path("staff/claims/bulk-verify/", verification.bulk_verify, name="verify_bulk"),
    path("staff/claims/<int:pk>/", verification.review, name="verify_claim"),
    path("staff/claims/<int:pk>/act/", verification.act, name="verify_act"),
    path(
        "staff/claims/<int:pk>/evidence/<int:evidence_pk>/",
        verification.evidence_download,
        name="staff_evidence_download",
    ),
    # Residual pools and statements
    path("statements/", statements.statement_list, name="statement_list"),
    path("statements/<int:pk>/pdf/", statements.statement_download, name="statement_download"),
    path("statements/<int:pk>/csv/", statements.statement_csv, name="statement_csv"),
    path("verify-statement/", statement_verify.verify, name="statement_verify"),
    path("staff/pools/", pools.pool_list, name="pool_list"),
    path("staff/pools/new/", pools.pool_create, name="pool_create"),
    path("staff/pools/<int:pk>/", pools.pool_detail, name="pool_detail"),
    path("staff/pools/<int:pk>/lines.csv", pools.pool_lines_csv, name="pool_lines_csv"),
    path("staff/pools/<int:pk>/issue/", pools.pool_issue, name="pool_issue"),
    path(
        "staff/pools/<int:pk>/held/<int:set_pk>/<int:work_pk>/release/",
        pools.pool_release_held,
        name="pool_release_held",
    ),
    path("staff/runs/<int:pk>/", statements.run_detail, name="run_detail"),
    path("staff/runs/<int:pk>/retry/", statements.run_retry, name="run_retry"),
    path("staff/statements/<int:pk>/reissue/", statements.statement_reissue, name="statement_reissue"),
    path("staff/statements/<int:pk>/download/", statements.staff_statement_download, name="staff_statement_download"),
    path("staff/training-sets/new/", manifests.training_set_form, name="training_set_create"),
    path("staff/training-sets/<int:pk>/edit/", manifests.training_set_form, name="training_set_edit"),
    path("staff/training-sets/<int:pk>/manifests/new/", manifests.manifest_upload_view, name="manifest_upload"),
    path("staff/training-sets/<int:pk>/matches.csv", manifests.match_export, name="match_export"),
    path("staff/manifests/<int:pk>/", manifests.manifest_detail, name="manifest_detail"),
    path("staff/manifests/<int:pk>/cancel/", manifests.manifest_cancel, name="manifest_cancel"),
]
