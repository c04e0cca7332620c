# Kernel intarith (see scripts/kernels/README.md): 10,000,000 iterations of Int adds and
# multiplies; values stay below 2^53.
def main():
    s = 0
    for i in range(10000000):
        t = i * 3 + 7
        s = s + t * 2 - i * 5
    return s


print(main())
