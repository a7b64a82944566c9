"""The annual report's official format (国办公开办函〔2021〕30号) as data, and the checks its figures must pass."""
