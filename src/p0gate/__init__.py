"""p0gate: policy-as-code release gate for the P0-CLOUD deployment guide."""

__version__ = "0.1.0"
