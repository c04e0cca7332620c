# Kernel fib (see scripts/kernels/README.md): recursive fib(30); measures call overhead.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fib(30))
