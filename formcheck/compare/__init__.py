"""``formcheck compare A B``: two takes of a runner side by side, synchronised at their landings, and what changed
between them (warp: the pure contact matching and time warp; changes: the metric-by-metric verdicts; takes:
loading each take; video, page: the two outputs; run: the command's folder)."""
