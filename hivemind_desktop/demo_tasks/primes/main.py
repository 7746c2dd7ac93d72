"""Sample HiveMind task: count primes below a bound and write the answer to a file."""

import os

LIMIT = 200_000
sieve = bytearray([1]) * LIMIT
sieve[0:2] = b"\x00\x00"
for i in range(2, int(LIMIT**0.5) + 1):
    if sieve[i]:
        sieve[i * i :: i] = bytearray(len(range(i * i, LIMIT, i)))
count = sum(sieve)
print(f"task {os.environ.get('TASK_ID')}: {count} primes below {LIMIT}")
with open("primes.txt", "w") as out:
    out.write(f"{count}\n")
