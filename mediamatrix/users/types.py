from django.http import HttpRequest

from mediamatrix.users.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind `login_required`: `user` is a real User, for the type checker."""

    user: User
