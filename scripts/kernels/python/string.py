# Kernel string (see scripts/kernels/README.md): 100,000 naive appends `s = s + str(i)`;
# prints the final length.
def main():
    s = ""
    for i in range(100000):
        s = s + str(i)
    return len(s)


print(main())
