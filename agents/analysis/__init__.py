"""Analysis of many games: sweeps, forecasts, turning points, tournaments, statistics.

Everything here plays games through the one turn loop (``agents.engine``) and runs its
work through the one runner (``agents.analysis.runner.run_tasks``).
"""
