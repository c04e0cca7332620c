// Kernel intarith, the JavaScript twin of intarith.ruff (suites/kernels/README.md); every
// value stays below 2^53, so doubles compute it exactly.
'use strict';
const { main } = require('./twin_protocol');

function run() {
    const n = 2000000;
    let s = 0;
    for (let i = 0; i < n; i++) {
        const t = i * 3 + 7;
        s = s + t * 2 - i * 5;
    }
    return s;
}

main(run);
