// The twin protocol of the JavaScript kernels (suites/README.md, "Twins in other
// languages"), for node. A kernel defines run(), which does the work once and returns its
// integer checksum, and ends with `require('./twin_protocol').main(run)`:
//
//   node NAME.js                         one run(): prints `Result: CHECKSUM`
//   node NAME.js ITERATIONS [RECORDS]    ITERATIONS runs, one JSON record each
//
// Each record is {"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"hrtime"} (RECORDS, or
// stderr); W times run() and the printing of its Result line with process.hrtime.bigint()
// (monotonic, nanoseconds). Writes are synchronous (fs.writeSync), so every Result line is
// out before its record.
'use strict';
const fs = require('fs');

function once(run) {
    const line = Buffer.from(`Result: ${run()}\n`);
    fs.writeSync(1, line);
    return line.length;
}

function usage(message) {
    const me = process.argv[1];
    fs.writeSync(2, `${me}: ${message}\nusage: ${me} [ITERATIONS [RECORDS]]\n`);
    process.exit(2);
}

function main(run) {
    const args = process.argv.slice(2);
    if (args.length === 0) {
        once(run);
        return;
    }
    if (args.length > 2) usage('too many arguments');
    if (!/^[0-9]+$/.test(args[0]) || Number(args[0]) < 1) {
        usage(`ITERATIONS must be a positive integer, got '${args[0]}'`);
    }
    const iterations = Number(args[0]);
    let records = 2;
    if (args.length === 2) {
        try {
            records = fs.openSync(args[1], 'w');
        } catch (e) {
            usage(`cannot write records: ${e.message}`);
        }
    }
    for (let i = 0; i < iterations; i++) {
        const start = process.hrtime.bigint();
        const bytes = once(run);
        const wallNs = process.hrtime.bigint() - start;
        fs.writeSync(records,
            `{"iteration":${i},"wall_ns":${wallNs},"stdout_bytes":${bytes},"clock":"hrtime"}\n`);
    }
}

module.exports = { main };
