from django.http import HttpRequest, HttpResponse


def source_list_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def source_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")
