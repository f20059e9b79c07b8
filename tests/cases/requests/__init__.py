"""Tests of the other requests, one package per request kind (like cases/requests/)."""
