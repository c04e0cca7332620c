// Kernel array, the JavaScript twin of array.ruff (suites/kernels/README.md).
'use strict';
const { main } = require('./twin_protocol');

function run() {
    const n = 100000;
    const rounds = 5;
    let total = 0;
    for (let r = 0; r < rounds; r++) {
        const a = [];
        for (let i = 0; i < n; i++) {
            a.push(i + r);
        }
        const size = a.length;
        for (let i = 0; i < size; i++) {
            total += a[i];
        }
    }
    return total;
}

main(run);
