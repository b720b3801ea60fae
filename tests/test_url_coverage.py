"""Every named URL of the project appears in some app's permission matrix."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests

# Third-party pages whose permissions are their own (Django admin, language switch, logout POST).
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"set_language", "logout", "api-token", "api-root"}


def _names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns in EXEMPT_NAMESPACES:
                continue
            yield from _names(pattern.url_patterns, f"{ns}" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if "-detail" in name or "-list" in name or not name.endswith(("-format",)):
                yield name


def _matrix_names():
    names = set()
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".test_permissions"):
            mod = importlib.import_module(module.name)
            names |= {case.url_name for case in getattr(mod, "MATRIX", [])}
    return names


def test_every_url_is_in_a_permission_matrix():
    urls = {n for n in _names(get_resolver().url_patterns) if n not in EXEMPT_NAMES}
    missing = sorted(urls - _matrix_names())
    assert not missing, f"URLs without a permission-matrix row: {missing}"
