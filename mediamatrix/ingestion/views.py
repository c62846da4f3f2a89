from django.http import HttpRequest, HttpResponse


def post_list_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def post_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")
