"""Workers' roles (part-time grid worker, problem collector, policy promoter) are records of the worker, not
login roles; a part-time grid worker is granted the foundation's grid_worker role at the grid."""
