"""synthesize stage."""
