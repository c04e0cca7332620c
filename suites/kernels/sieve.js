// Kernel sieve, the JavaScript twin of sieve.ruff (suites/kernels/README.md).
'use strict';
const { main } = require('./twin_protocol');

function run() {
    const n = 300000;
    const flags = [];
    for (let i = 0; i <= n; i++) {
        flags.push(true);
    }
    let count = 0;
    for (let p = 2; p <= n; p++) {
        if (flags[p]) {
            count++;
            for (let m = p * p; m <= n; m += p) {
                flags[m] = false;
            }
        }
    }
    return count;
}

main(run);
