"""What training pipelines, batch scoring and the web API share.

The typed configuration (`config`), the task of a problem (`task`), the
derived-feature transformers (`features`), the model builder, the metrics,
the typing of records (`coercion`), prediction (`predict`) and the checks of
raw data and records (`validation`) live here, so that every consumer imports
one implementation of each.
"""
