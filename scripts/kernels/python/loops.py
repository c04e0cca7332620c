# Kernel loops (see scripts/kernels/README.md): nested 3000 x 3000 loops with a modulo.
def main():
    s = 0
    for i in range(3000):
        for j in range(3000):
            s = (s + i * j) % 1000003
    return s


print(main())
