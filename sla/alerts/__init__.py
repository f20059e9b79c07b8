"""The beat sweep that warns before and alerts at each deadline, exactly once."""
