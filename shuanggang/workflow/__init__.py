"""Use cases: what each command does, composed from sheets, store, render and domain."""
