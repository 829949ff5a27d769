"""绩效指标库: the indicators a bureau keeps for units to pick when declaring."""
