"""Data privacy requests (access, erasure, correction), handled by the Data privacy team only."""
