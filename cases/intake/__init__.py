"""Case intake and life: the case, replies, attachments, the timeline, the portal pages."""
