"""Hostile inputs and faults: nothing crashes, nothing is lost, nothing executes (see README.md here)."""
