-- The twin protocol of the Lua kernels (suites/README.md, "Twins in other languages"),
-- for Lua 5.4 and LuaJIT 2.1 alike. A kernel defines run(), which does the work once and
-- returns its integer checksum, and ends with `return twin.main(run)`:
--
--   lua5.4|luajit NAME.lua                        one run(): prints `Result: CHECKSUM`
--   lua5.4|luajit NAME.lua ITERATIONS [RECORDS]   ITERATIONS runs, one JSON record each
--
-- Each record is {"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"..."} (RECORDS, or
-- stderr); W times run() and the printing of its Result line. Lua has no wall clock in its
-- standard library: LuaJIT reads clock_gettime(CLOCK_MONOTONIC) through its FFI; Lua 5.4
-- uses os.clock(), the process's CPU time (equal to wall time for a single-threaded,
-- CPU-bound kernel, except while it waits for a core).

local twin = {}

local now_ns, clock_name
do
    local ok, ffi = pcall(require, 'ffi')
    if ok then
        ffi.cdef[[
            typedef struct { long tv_sec; long tv_nsec; } kernel_timespec;
            int clock_gettime(int clock_id, kernel_timespec *tp);
        ]]
        local ts = ffi.new('kernel_timespec')
        now_ns = function ()
            ffi.C.clock_gettime(1, ts) -- 1: CLOCK_MONOTONIC on Linux
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

-- Runs run() and prints its Result line; returns the bytes written.
local function once(run)
    local line = string.format('Result: %d\n', run())
    io.stdout:write(line)
    io.stdout:flush()
    return #line
end

function twin.main(run)
    if arg[1] == nil then
        once(run)
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
        local start = now_ns()
        local bytes = once(run)
        local wall_ns = now_ns() - start
        records:write(string.format(
            '{"iteration":%d,"wall_ns":%.0f,"stdout_bytes":%d,"clock":"%s"}\n',
            i, wall_ns, bytes, clock_name))
        records:flush()
    end
end

return twin
