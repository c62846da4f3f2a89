from django.http import HttpResponse


def _todo(request):  # replaced below
    return HttpResponse("")


unit_tree = account_list_view = grid_group_list_view = registry_health_view = import_view = _todo
