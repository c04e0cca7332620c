// Kernel fib, the JavaScript twin of fib.ruff (suites/kernels/README.md).
'use strict';
const { main } = require('./twin_protocol');

function fib(n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}

main(() => fib(28));
