-- The iteration loop shared by every suite's Lua twins (suites/README.md, "Twins in other
-- languages"), for Lua 5.4 and LuaJIT 2.1 alike (Lua 5.1 syntax). Each suite's
-- twin_protocol.lua defines what one run is and calls iterations.iterate().
--
--   lua5.4|luajit NAME.lua                        one run
--   lua5.4|luajit NAME.lua ITERATIONS [RECORDS]   ITERATIONS runs in this process
--
-- After each run one JSON line goes to RECORDS (default: stderr), as `ruff bench` writes
-- it: {"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"..."}. Neither Lua has a
-- monotonic wall clock in its standard library: under LuaJIT, W comes from
-- clock_gettime(CLOCK_MONOTONIC) through the FFI ("clock":"monotonic", ns resolution);
-- under Lua 5.4 from os.clock(), the process's CPU time ("clock":"process-cpu", 1 us
-- resolution on Linux/glibc), which equals wall time for these single-threaded, CPU-bound
-- programs except when the process waits for a core. Bad arguments: a usage message and
-- exit status 2.

local iterations = {}

local now_ns, clock_name
do
    local ok, ffi = pcall(require, 'ffi')
    if ok then
        ffi.cdef[[
            typedef struct { long tv_sec; long tv_nsec; } twin_timespec;
            int clock_gettime(int clock_id, twin_timespec *tp);
        ]]
        local CLOCK_MONOTONIC = 1
        local ts = ffi.new('twin_timespec')
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

local function usage(message)
    io.stderr:write(arg[0] .. ': ' .. message .. '\nusage: ' .. arg[0] ..
        ' [ITERATIONS [RECORDS]]\n')
    os.exit(2)
end

-- Runs the twin per the command line. once() does one run and returns the bytes it wrote
-- to stdout (it is what W times); finish(), if given, runs after it, untimed.
function iterations.iterate(once, finish)
    finish = finish or function () end
    if arg[1] == nil then
        once()
        finish()
        return
    end
    if arg[3] ~= nil then
        usage('too many arguments')
    end
    local count = tonumber(arg[1])
    if count == nil or count < 1 or count ~= math.floor(count) then
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
    for i = 0, count - 1 do
        local start = now_ns()
        local bytes = once()
        local wall_ns = now_ns() - start
        finish()
        records:write(string.format(
            '{"iteration":%d,"wall_ns":%.0f,"stdout_bytes":%d,"clock":"%s"}\n',
            i, wall_ns, bytes, clock_name))
        records:flush()
    end
end

return iterations
