from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "quartier.directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from quartier.events import helper_changed

        from .services import on_helper_changed

        helper_changed.connect(on_helper_changed, dispatch_uid="directory.listing")
