"""Test configuration: Hypothesis profiles from the environment."""

import os

from hypothesis import settings

from keyaccount.testing import register_profiles

register_profiles()
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
