"""Tenancy: resellers, end-user accounts, users and Designated Contacts (Support Guide 4.1)."""
