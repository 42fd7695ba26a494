"""Pure functions on Trajectories: visibility gating, gap filling, leg-swap repair, filtering, orientation, scale."""
