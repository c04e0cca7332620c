// Kernel string, the JavaScript twin of string.ruff (suites/kernels/README.md).
'use strict';
const { main } = require('./twin_protocol');

function run() {
    const n = 200000;
    let s = '';
    for (let i = 0; i < n; i++) {
        s = s + String(i);
    }
    return s.length;
}

main(run);
