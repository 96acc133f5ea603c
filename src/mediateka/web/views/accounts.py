"""Signing in to the public site: outreach officers work here, not in the admin.

An officer is not staff (the admin refuses them, rightly: its catalogue pages are not theirs), so the
site has its own sign-in, in the visitor's language, and a password reset by e-mail where the
operator has configured e-mail (MEDIATEKA_EMAIL_HOST). Staff may sign in here too.
"""

from django.conf import settings
from django.contrib.auth import views as auth
from django.http import Http404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _


def password_reset_possible() -> bool:
    return bool(settings.EMAIL_HOST)


class SignIn(auth.LoginView):
    template_name = "web/account/form.html"
    redirect_authenticated_user = True
    extra_context = {"heading": _("Sign in"), "button": _("Sign in")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(signing_in=True, password_reset=password_reset_possible(), **kwargs)

    def get_default_redirect_url(self):
        # Without a page to return to, each person lands where their work is.
        return reverse("admin:index") if self.request.user.is_staff else reverse("outreach:records")


class SignOut(auth.LogoutView):
    next_page = reverse_lazy("web:home")


class _WithEmail:
    """The reset pages exist only where the site can send e-mail."""

    def dispatch(self, request, *args, **kwargs):
        if not password_reset_possible():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PasswordReset(_WithEmail, auth.PasswordResetView):
    template_name = "web/account/form.html"
    success_url = reverse_lazy("web:password-reset-sent")
    email_template_name = "web/account/reset_email.txt"
    subject_template_name = "web/account/reset_subject.txt"
    extra_context = {
        "heading": _("Forgotten password"),
        "intro": _("Give the e-mail address of your account; we will send a link to choose a new password."),
        "button": _("Send the link"),
    }


class PasswordResetSent(_WithEmail, auth.PasswordResetDoneView):
    template_name = "web/account/message.html"
    extra_context = {
        "heading": _("Forgotten password"),
        "message": _(
            "If an account has that address, a link to choose a new password is on its way. "
            "It works once, for three days."
        ),
    }


class PasswordResetConfirm(_WithEmail, auth.PasswordResetConfirmView):
    template_name = "web/account/form.html"
    success_url = reverse_lazy("web:password-reset-complete")
    extra_context = {"heading": _("Choose a new password"), "button": _("Save the password")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["validlink"]:
            context["intro"] = _("This link has been used or has expired. Ask for a new one.")
        return context


class PasswordResetComplete(_WithEmail, auth.PasswordResetCompleteView):
    template_name = "web/account/message.html"
    extra_context = {
        "heading": _("Password changed"),
        "message": _("Your new password is saved."),
        "sign_in": True,
    }
