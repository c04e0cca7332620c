// Kernel loops, the JavaScript twin of loops.ruff (suites/kernels/README.md).
'use strict';
const { main } = require('./twin_protocol');

function run() {
    const n = 1500;
    let s = 0;
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
            s = (s + i * j) % 1000003;
        }
    }
    return s;
}

main(run);
