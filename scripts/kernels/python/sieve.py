# Kernel sieve (see scripts/kernels/README.md): sieve of Eratosthenes to 2,000,000 over a
# list of bools built by appending; prints the number of primes.
def main():
    n = 2000000
    flags = []
    for i in range(n + 1):
        flags.append(True)
    count = 0
    for p in range(2, n + 1):
        if flags[p]:
            count += 1
            m = p * p
            while m <= n:
                flags[m] = False
                m += p
    return count


print(main())
