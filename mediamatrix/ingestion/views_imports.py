from django.http import HttpRequest, HttpResponse


def import_centre_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def import_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")
