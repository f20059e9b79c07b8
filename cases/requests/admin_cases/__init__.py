"""Admin cases: access, licensing and account administration; ordinary cases with kind "admin"."""
