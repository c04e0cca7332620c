-- The iteration protocol of the Lua twins in suites/awfy (README.md, "Twin protocol"); the
-- twins run unchanged under Lua 5.4 and LuaJIT 2.1 (Lua 5.1 syntax, no integer division or
-- bitwise operators in the source).
--
-- A twin defines run(), which does the benchmark's work once, checks it and reports the
-- checked value with twin.result(...) (most use twin.inner_benchmark_loop for that); its
-- file ends with twin.main(run). Invocation:
--
--   lua5.4|luajit NAME.lua                        one run(), like `ruff run NAME.ruff`
--   lua5.4|luajit NAME.lua ITERATIONS [RECORDS]   ITERATIONS runs in this process, like
--                                                 `ruff bench NAME.ruff --iterations N`
--
-- After each run it writes one JSON line to RECORDS (default: stderr), as `ruff bench`
-- does: {"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"..."}. Neither Lua has a
-- monotonic wall clock in its standard library: under LuaJIT, W comes from
-- clock_gettime(CLOCK_MONOTONIC) through the FFI ("clock":"monotonic", ns resolution);
-- under Lua 5.4 from os.clock(), the process's CPU time ("clock":"process-cpu", 1 us
-- resolution on Linux/glibc), which equals wall time for these single-threaded,
-- CPU-bound programs except when the process waits for a core.

local twin = {}

local now_ns, clock_name
do
    local ok, ffi = pcall(require, 'ffi')
    if ok then
        ffi.cdef[[
            typedef struct { long tv_sec; long tv_nsec; } awfy_timespec;
            int clock_gettime(int clock_id, awfy_timespec *tp);
        ]]
        local CLOCK_MONOTONIC = 1
        local ts = ffi.new('awfy_timespec')
        now_ns = function ()
            ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
            return tonumber(ts.tv_sec) * 1e9 + tonumber(ts.tv_nsec)
        end
        clock_name = 'monotonic'
    else
        now_ns = function () return os.clock() * 1e9 end
        clock_name = 'process-cpu'
    end
end

-- Bitwise operations on non-negative integers below 2^31: the `bit` library under
-- LuaJIT, Lua 5.3+ operators (compiled from a string, so LuaJIT's parser never sees them)
-- under Lua 5.4.
if rawget(_G, 'bit') or not _VERSION:match('5%.[34]') then
    local bit = require('bit')
    twin.bxor, twin.band, twin.lshift, twin.rshift = bit.bxor, bit.band, bit.lshift, bit.rshift
else
    local ops = load([[return
        function (a, b) return a ~ b end,
        function (a, b) return a & b end,
        function (a, n) return a << n end,
        function (a, n) return a >> n end]])
    twin.bxor, twin.band, twin.lshift, twin.rshift = ops()
end

local written = 0

-- A value as Ruff's print shows it: integers and integral floats without ".0", other
-- floats as the shortest decimal that reads back the same (no exponent for the values the
-- suite prints), booleans as true/false.
function twin.show(value)
    if type(value) ~= 'number' then
        return tostring(value)
    end
    if value == math.floor(value) and math.abs(value) < 2^53 then
        return string.format('%.0f', value)
    end
    for precision = 1, 17 do
        local text = string.format('%.' .. precision .. 'g', value)
        if tonumber(text) == value then
            return text
        end
    end
    return string.format('%.17g', value)
end

-- Prints the run's `Result:` line (values separated by spaces, as Ruff's print does).
function twin.result(...)
    local parts = {}
    for i = 1, select('#', ...) do
        parts[i] = twin.show((select(i, ...)))
    end
    local line = 'Result: ' .. table.concat(parts, ' ') .. '\n'
    written = written + #line
    io.stdout:write(line)
end

-- The suite's Benchmark.innerBenchmarkLoop, for the benchmarks whose check does not depend
-- on the size: runs benchmark() inner_iterations times, checks every result with
-- verify_result(result) and reports the last one (or the first that fails the check).
function twin.inner_benchmark_loop(inner_iterations, benchmark, verify_result)
    local result
    for _ = 1, inner_iterations do
        result = benchmark()
        if not verify_result(result) then
            twin.result('failed verification, got', result)
            return
        end
    end
    twin.result(result)
end

local function usage(message)
    io.stderr:write(arg[0] .. ': ' .. message .. '\nusage: ' .. arg[0] ..
        ' [ITERATIONS [RECORDS]]\n')
    os.exit(2)
end

function twin.main(run)
    if arg[1] == nil then
        run()
        io.stdout:flush()
        return
    end
    if arg[3] ~= nil then
        usage('too many arguments')
    end
    local iterations = tonumber(arg[1])
    if iterations == nil or iterations < 1 or iterations ~= math.floor(iterations) then
        usage('ITERATIONS must be a positive integer, got ' .. arg[1])
    end
    local records = io.stderr
    if arg[2] ~= nil then
        local file, err = io.open(arg[2], 'w')
        if not file then
            usage('cannot write records: ' .. err)
        end
        records = file
    end
    for i = 0, iterations - 1 do
        local before = written
        local start = now_ns()
        run()
        local wall_ns = now_ns() - start
        io.stdout:flush()
        records:write(string.format(
            '{"iteration":%d,"wall_ns":%.0f,"stdout_bytes":%d,"clock":"%s"}\n',
            i, wall_ns, written - before, clock_name))
        records:flush()
    end
end

return twin
