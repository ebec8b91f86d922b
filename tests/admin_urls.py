"""The project's URLs with the admin at a path, as config/urls.py makes them when ADMIN_URL is set."""

from django.contrib import admin
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("manage-7f3a/", admin.site.urls), *site_urlpatterns]
