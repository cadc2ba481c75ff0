"""Pure maths of spreading a method: how far a plan has come towards its goal."""


def percent_of_goal(reached: int, target: int) -> int:
    """Whole percent of ``target`` reached, from 0 to 100 (beyond the goal is still 100)."""
    if target <= 0:
        return 100 if reached > 0 else 0
    return max(0, min(100, (reached * 100) // target))
