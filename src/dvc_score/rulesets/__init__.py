"""The national rulesets shipped with dvc-score (installed as dvc_score.rulesets)."""
