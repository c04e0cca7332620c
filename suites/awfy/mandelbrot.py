"""Are We Fast Yet: Mandelbrot, the Python twin of mandelbrot.ruff (same algorithm and size).

Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
Mössenböck, DLS 2016), after the Computer Language Benchmarks Game. Protocol:
twin_protocol.py; suites/awfy/README.md (also for the derived verification value).
"""

from twin_protocol import main, result

INNER_ITERATIONS = 170


def mandelbrot(size):
    total = 0
    byte_acc = 0
    bit_num = 0
    y = 0
    while y < size:
        ci = (2.0 * y / size) - 1.0
        x = 0
        while x < size:
            zr = 0.0
            zrzr = 0.0
            zi = 0.0
            zizi = 0.0
            cr = (2.0 * x / size) - 1.5
            z = 0
            not_done = True
            escape = 0
            while not_done and z < 50:
                zr = zrzr - zizi + cr
                zi = 2.0 * zr * zi + ci
                # preserve recalculation
                zrzr = zr * zr
                zizi = zi * zi
                if zrzr + zizi > 4.0:
                    not_done = False
                    escape = 1
                z += 1
            byte_acc = (byte_acc << 1) + escape
            bit_num += 1
            if bit_num == 8:
                total ^= byte_acc
                byte_acc = 0
                bit_num = 0
            elif x == size - 1:
                byte_acc <<= 8 - bit_num
                total ^= byte_acc
                byte_acc = 0
                bit_num = 0
            x += 1
        y += 1
    return total


def verify_result(value, inner_iterations):
    if inner_iterations == 500:
        return value == 191
    if inner_iterations == 750:
        return value == 50
    if inner_iterations == 1:
        return value == 128
    # Not published by the suite: derived (suites/awfy/README.md).
    if inner_iterations == 170:
        return value == 252
    return False


def run():
    value = mandelbrot(INNER_ITERATIONS)
    if not verify_result(value, INNER_ITERATIONS):
        result("failed verification, got", value)
        return
    result(value)


main(run)
