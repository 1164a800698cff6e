"""Stage integration tests take their inputs from ``variant_outputs``
(``tests/conftest.py``): each variant's full pipeline, run once per session on a
small real-data sample with ``fast_parameters``, so each test can run its own
stage through a Kedro runner without repeating the upstream work.
"""

from tests.conftest import CONFIGURED_VARIANTS

VARIANTS = CONFIGURED_VARIANTS
