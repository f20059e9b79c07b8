"""The "new request" hub: what does the contact need, and where each kind of request goes."""
