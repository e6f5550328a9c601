"""The benchmark suite: each path of rnk_events against its limit, as ratios (docs/benchmarks.md).

``python -m benchmarks.run`` runs it. The modules: ``synth`` (the seeded
synthetic datasets), ``timing`` (interleaved rounds and the table),
``limits`` and ``ics_hand`` (what each path is measured against), ``memory``
(peak memory in a fresh process), ``paths`` (one function per path),
``bench_date_index`` (the date index against a scan, also on its own) and
``run`` (the command line).
"""
