"""Peer feedback ("pairagogie"): learners read and question each other's submitted situations."""
