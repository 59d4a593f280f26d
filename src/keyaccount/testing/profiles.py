"""Hypothesis profiles: a fast one for local runs and a thorough one for CI."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

__all__ = ["register_profiles"]


def register_profiles() -> None:
    """Register the `dev` (fast, local) and `ci` (thorough) Hypothesis profiles.

    Load one with `settings.load_profile("ci")`; the project's test suite picks it
    from the `HYPOTHESIS_PROFILE` environment variable.
    """
    settings.register_profile("dev", max_examples=60, deadline=None)
    settings.register_profile(
        "ci",
        max_examples=300,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
