from django.http import HttpResponse


def import_view(request):
    return HttpResponse("")


def import_template_view(request, kind, fmt):
    return HttpResponse("")


def export_view(request, kind, fmt):
    return HttpResponse("")
