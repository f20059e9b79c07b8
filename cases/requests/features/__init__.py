"""Feature requests: submitted, tracked, published to every reseller, voted on and merged."""
