# Kernel float (see scripts/kernels/README.md): 5,000,000 Float multiply-adds; prints the
# result times 1000, truncated.
def main():
    x = 0.0
    for i in range(5000000):
        x = x * 0.9999995 + 1.0
    return int(x * 1000.0)


print(main())
