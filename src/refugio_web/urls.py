from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from refugio_web import views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="refugio_web/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", set_language, name="set_language"),
    path("people/", views.people, name="people"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<uuid:case_id>/", views.case_home, name="case_home"),
    path("cases/<uuid:case_id>/step/<slug:slug>/", views.step, name="step"),
    path("cases/<uuid:case_id>/review/", views.review, name="review"),
    path("cases/<uuid:case_id>/delete/", views.case_delete, name="case_delete"),
    path("cases/<uuid:case_id>/people/", views.case_people, name="case_people"),
    path("cases/<uuid:case_id>/i-589.pdf", views.download, name="download"),
    path("cases/<uuid:case_id>/preview/", views.preview, name="preview"),
    path("cases/<uuid:case_id>/preview/<int:page>.png", views.preview_page, name="preview_page"),
]
