"""Consent to remote access: Care asks on a case, a Designated Contact approves or refuses."""
