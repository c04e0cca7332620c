// Kernel float, the JavaScript twin of float.ruff (suites/kernels/README.md).
'use strict';
const { main } = require('./twin_protocol');

function run() {
    const n = 2000000;
    let x = 0.0;
    for (let i = 0; i < n; i++) {
        x = x * 0.9999995 + 1.0;
    }
    return Math.trunc(x * 1000.0);
}

main(run);
