from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def forbidden(request, exception=None):
    return render(request, "web/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def server_error(request):
    # No request context: whatever failed (the database, a context processor) may fail again.
    return HttpResponseServerError(loader.get_template("web/500.html").render())
