"""The store's SQL: tables by numbered migration (migrations/), models one per
file, named queries and commands. Installed inside the package as `ita.sql`
(pyproject.toml maps this folder there) and read through importlib.resources."""
