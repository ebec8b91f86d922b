from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin, whose default site lets in only staff signed in with a second factor."""

    default_site = "config.admin.AdminSite"
