"""A run from options to verdict: settings, target, plan, results, progress and the runner."""
