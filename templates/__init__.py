"""The docxtpl templates, installed inside the package as `ita.templates`
(pyproject.toml maps this folder there) and read through importlib.resources."""
