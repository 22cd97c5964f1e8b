"""Developer tooling, off the product path: benchmarks (`bench/`), evaluations (`evaluation/`), training of the
shipped models (`training/`), the scores they share (`scores`) and the report files (`reports`).
The product never imports from here; the CLI's `bench`, `eval` and `train` commands do."""
