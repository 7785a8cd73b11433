"""Tests for the widgets in `tui/widgets/`."""
