# Kernel dict (see scripts/kernels/README.md): 200,000 inserts with scattered int keys, then
# 200,000 lookups of the same keys.
def main():
    d = {}
    for i in range(200000):
        d[(i * 7919) % 1000003] = i
    s = 0
    for i in range(200000):
        s += d[(i * 7919) % 1000003]
    return s


print(main())
