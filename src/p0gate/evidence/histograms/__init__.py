"""Latency histograms (kind ``latency-histogram``): exact event counts at bucket boundaries.

``model`` holds what every format becomes (cumulative counts at cuts, in ms) and the
``Distribution`` the latency checks read (samples and datasets are one too); ``decide`` the
decisions on any distribution and ``binomial`` the confidence bound; ``source`` what the
parsers share; one module per format (``prometheus``, ``hlog``, ``otlp``, ``answers`` for
what ``p0gate collect`` computed in a SQL engine); ``reader`` tells the formats apart and is
the kind's registered reader.
"""
