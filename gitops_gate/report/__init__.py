"""Reports: findings turned into text for people and JSON (and more) for programs."""
