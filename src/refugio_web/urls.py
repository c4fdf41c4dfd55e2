from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from refugio_web import auth_views, claim_views, dossier_views, packet_views, views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("login/", auth_views.login, name="login"),
    path("login/enrol/", auth_views.enrol, name="enrol"),
    path("login/again/", auth_views.reauth, name="reauth"),
    path("logout/", auth_views.logout, name="logout"),
    path("password/", auth_views.password_change, name="password_change"),
    # The language can be chosen before logging in (LoginRequiredMiddleware covers the rest).
    path("language/", login_not_required(set_language), name="set_language"),
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/disable/", views.person_disable, name="person_disable"),
    path(
        "people/<int:person_id>/second-factor/",
        views.person_reset_factor,
        name="person_reset_factor",
    ),
    path("people/<int:person_id>/password/", views.person_password, name="person_password"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<uuid:case_id>/", views.case_home, name="case_home"),
    path("cases/<uuid:case_id>/step/<slug:slug>/", views.step, name="step"),
    path("cases/<uuid:case_id>/review/", views.review, name="review"),
    path("cases/<uuid:case_id>/delete/", views.case_delete, name="case_delete"),
    path("cases/<uuid:case_id>/people/", views.case_people, name="case_people"),
    path("cases/<uuid:case_id>/i-589.pdf", views.download, name="download"),
    path("cases/<uuid:case_id>/preview/", views.preview, name="preview"),
    path("cases/<uuid:case_id>/preview/<int:page>.png", views.preview_page, name="preview_page"),
    # The dossier (issue 5): ids of events and evidence are the dossier's own (e…, x…).
    path("cases/<uuid:case_id>/timeline/", dossier_views.timeline, name="timeline"),
    path("cases/<uuid:case_id>/timeline/new/", dossier_views.event_new, name="event_new"),
    path(
        "cases/<uuid:case_id>/timeline/<slug:event_id>/",
        dossier_views.event_edit,
        name="event_edit",
    ),
    path(
        "cases/<uuid:case_id>/timeline/<slug:event_id>/delete/",
        dossier_views.event_delete,
        name="event_delete",
    ),
    path("cases/<uuid:case_id>/evidence/", dossier_views.evidence, name="evidence"),
    path("cases/<uuid:case_id>/evidence/new/", dossier_views.evidence_new, name="evidence_new"),
    path(
        "cases/<uuid:case_id>/evidence/<slug:evidence_id>/",
        dossier_views.evidence_edit,
        name="evidence_edit",
    ),
    path(
        "cases/<uuid:case_id>/evidence/<slug:evidence_id>/delete/",
        dossier_views.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "cases/<uuid:case_id>/evidence/<slug:evidence_id>/<slug:which>",
        dossier_views.evidence_download,
        name="evidence_download",
    ),
    path("cases/<uuid:case_id>/declaration/", dossier_views.declaration, name="declaration"),
    # Issue 5, points 1-3 (claim_views): drafting, the declaration's files, Part B, consistency.
    path(
        "cases/<uuid:case_id>/declaration/draft/",
        claim_views.declaration_draft,
        name="declaration_draft",
    ),
    path(
        "cases/<uuid:case_id>/declaration.pdf",
        claim_views.declaration_download,
        {"fmt": "pdf"},
        name="declaration_pdf",
    ),
    path(
        "cases/<uuid:case_id>/declaration.docx",
        claim_views.declaration_download,
        {"fmt": "docx"},
        name="declaration_docx",
    ),
    path("cases/<uuid:case_id>/part-b/", claim_views.part_b, name="part_b"),
    path("cases/<uuid:case_id>/consistency/", claim_views.consistency, name="consistency"),
    # The filing packet (issue 5, point 7).
    path("cases/<uuid:case_id>/packet/", packet_views.packet, name="packet"),
    path("cases/<uuid:case_id>/packet/build/", packet_views.packet_build, name="packet_build"),
    path("cases/<uuid:case_id>/packet.zip", packet_views.packet_download, name="packet_download"),
]
