"""One module per screen; each has a `register()` that adds its pages and routes."""
import importlib
import pkgutil


def register_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register()
