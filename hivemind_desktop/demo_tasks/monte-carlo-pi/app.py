"""Sample HiveMind task: estimate pi by Monte Carlo sampling, reproducibly."""

import json
import random

rng = random.Random(42)
N = 300_000
inside = sum(1 for _ in range(N) if rng.random() ** 2 + rng.random() ** 2 <= 1.0)
estimate = 4 * inside / N
for step in range(3):
    print(f"step {step + 1}/3 done")
print(f"pi is about {estimate:.4f}")
with open("pi.json", "w") as out:
    json.dump({"samples": N, "estimate": estimate}, out)
