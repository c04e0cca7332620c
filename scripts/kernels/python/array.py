# Kernel array (see scripts/kernels/README.md): ten times, build a list of 1,000,000 ints by
# appending, then sum it by index.
def main():
    total = 0
    for r in range(10):
        a = []
        for i in range(1000000):
            a.append(i + r)
        n = len(a)
        i = 0
        while i < n:
            total += a[i]
            i += 1
    return total


print(main())
