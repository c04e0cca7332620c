// Kernel dict, the JavaScript twin of dict.ruff (suites/kernels/README.md): a Map, node's
// hash map for arbitrary keys.
'use strict';
const { main } = require('./twin_protocol');

function run() {
    const n = 200000;
    const d = new Map();
    for (let i = 0; i < n; i++) {
        d.set((i * 7919) % 1000003, i);
    }
    let s = 0;
    for (let i = 0; i < n; i++) {
        s += d.get((i * 7919) % 1000003);
    }
    return s;
}

main(run);
