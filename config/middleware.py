from django.shortcuts import render

from .views import error_template


def method_not_allowed_page(get_response):
    """The empty 405 of `require_POST` and its kin, as a page in the layout; its Allow header stays."""

    def middleware(request):
        response = get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            page = render(request, error_template(request, "405.html"), status=405)
            if "Allow" in response:
                page["Allow"] = response["Allow"]
            return page
        return response

    return middleware
