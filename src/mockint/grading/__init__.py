"""Grading: signal detection, the offline grader, verdicts, evidence checks and calibration."""
