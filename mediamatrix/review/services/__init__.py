"""Every write of the review app."""

from mediamatrix.review.services.checking import post_check, post_document, posts_check

__all__ = ["post_check", "post_document", "posts_check"]
