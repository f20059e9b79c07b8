"""After an outage (Support Guide 2): post-mortems, incident reports, their sweep, .ics and PDF."""
